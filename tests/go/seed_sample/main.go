package main

import(
	"context"
	"os"
	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/components"
	"log"
)

func main() {
    ctx := context.Background()

    s := polargo.New(
        polargo.WithSecurity(os.Getenv("POLAR_ACCESS_TOKEN")),
    )

    res, err := s.Customers.Update(ctx, "<value>", components.CustomerUpdate{
        ExternalID: polargo.String("usr_1337"),
        Email: polargo.String("customer@example.com"),
        Name: polargo.String("John Doe"),
        BillingAddress: &components.Address{
            Country: "FR",
        },
        TaxID: []*components.CustomerUpdateTaxID{
            polargo.Pointer(components.CreateCustomerUpdateTaxIDStr(
                "FR61954506077",
            )),
            polargo.Pointer(components.CreateCustomerUpdateTaxIDStr(
                "eu_vat",
            )),
        },
    })
    if err != nil {
        log.Fatal(err)
    }
    if res.Customer != nil {
        // handle response
    }
}
