"""Go client parity with the Python client (QA round): server variables, a 2xx offering
JSON and binary, the User-Agent, an initialism after de-duplication. The behaviour is
tests/go/parity_behaviour/parity_test.go against httptest servers and a recording client."""

from __future__ import annotations

import re
from pathlib import Path

from test_go_target import GO_TESTS, generate, go_test, go_toolchain

__all__ = ["go_toolchain"]  # the fixture, shared with test_go_target


def test_go_client_behaves_as_the_python_client(go_toolchain: str, tmp_path: Path) -> None:
    tmp = tmp_path
    module = "example.com/parity"
    folder = GO_TESTS / "parity_behaviour"
    sdk = generate(folder / "parity.yaml", tmp / "out", module)
    output = go_test(sdk, module, folder / "parity_test.go", tmp, "parity")
    for name in (
        "ServerListHasTheVariablesDefaults",
        "ServerVariableOptionsReachTheServer",
        "AVariableRightAfterTheHostStartsThePath",
        "ServerVariablesCannotChangeTheHost",
        "UserAgentNamesTheGoVersionAndCanBeReplaced",
        "AHeaderNamedLikeAQueryParameterKeepsTheInitialism",
        "TheContentTypePicksTheDocumentedVariant",
    ):
        assert re.search(rf"--- PASS: Test{name}\b", output), output
