"""Every error the product reports, as data. `manage.py error_codes_doc` renders docs/error-codes.md.

Add an entry here before using a new code anywhere: a test scans the source tree and fails on any
code that is not in this list. Never reuse or renumber a code; retire it by leaving it in place.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from integrations.connectors.entra.errors import AUTH_ERRORS
from syncs.errors.types import Category, ErrorEntry, Severity

BC, SHOP, SIGNIN, MAPPING, PAYOUT, SYSTEM = (
    Category.BC,
    Category.SHOP,
    Category.SIGNIN,
    Category.MAPPING,
    Category.PAYOUT,
    Category.SYSTEM,
)
INFO, WARNING, ERROR, CRITICAL = Severity.INFO, Severity.WARNING, Severity.ERROR, Severity.CRITICAL

_BC_ENTRIES = (
    # --- 0xx: API, connection, permissions --------------------------------------------------------
    ErrorEntry(
        code="BC-001",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("Business Central environment not available"),
        message=_("The Business Central environment {environment} was not found or is not active (status: {status})."),
        cause=_(
            "The environment the integration is connected to was deleted, renamed, is being upgraded or "
            "is not active in the Business Central admin center."
        ),
        remedy=_(
            "Check the environment in the Business Central admin center. If it was renamed or replaced, "
            "reconnect Business Central and pick the right environment."
        ),
    ),
    ErrorEntry(
        code="BC-002",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("Business Central rejected the sign-in"),
        message=_("Business Central rejected the access token: {vendor_message}"),
        cause=_("The token is not valid for Business Central, or the signed-in user has lost access."),
        remedy=_("Reconnect Business Central with an account that has access to the environment and company."),
        vendor_codes=("Authentication_InvalidCredentials",),
    ),
    ErrorEntry(
        code="BC-003",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("Business Central company not reachable"),
        message=_("The company {company} could not be reached in Business Central."),
        cause=_("The company was deleted or renamed, or the signed-in user has no access to it."),
        remedy=_("Open the company in Business Central with the same account; reconnect and pick it again."),
        vendor_codes=("Internal_CompanyNotFound",),
    ),
    ErrorEntry(
        code="BC-004",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Missing permission in Business Central"),
        message=_("The Business Central user lacks a permission: {permission} on {object}."),
        cause=_(
            "The account used by the integration is not allowed to read or write a table the flows need "
            "(customers, items, sales orders, sales invoices, payment journals)."
        ),
        remedy=_(
            "In Business Central, open Users, select the integration's user and assign a permission set "
            "that gives read and write access to customers, items, sales documents and payment journals "
            "(for example D365 BUS FULL ACCESS)."
        ),
        vendor_codes=("Authorization_NotAuthorized",),
    ),
    ErrorEntry(
        code="BC-005",
        category=BC,
        severity=WARNING,
        retryable=True,
        title=_("Record changed in Business Central at the same time"),
        message=_("Another user changed the record in Business Central while it was being updated."),
        cause=_("Someone edited the same record in Business Central between our read and our write."),
        remedy=_("Nothing to do: the record is read again and the update retried."),
        vendor_codes=("Request_EntityChanged",),
    ),
    ErrorEntry(
        code="BC-006",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Record not found in Business Central"),
        message=_("Business Central could not find {record}."),
        cause=_("A record the integration refers to (by code, number or id) does not exist in the company."),
        remedy=_("Create the record in Business Central, or correct the mapping that refers to it, then retry."),
        vendor_codes=("Internal_RecordNotFound", "BadRequest_ResourceNotFound", "BadRequest_NotFound"),
    ),
    ErrorEntry(
        code="BC-007",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Reference to a value that does not exist"),
        message=_("The field {field} refers to a value that does not exist in {related_table}."),
        cause=_("A code sent to Business Central (payment terms, payment method, shipment method, ...) is unknown."),
        remedy=_("Create the value in Business Central or change the mapping to an existing one, then retry."),
        vendor_codes=("Internal_InvalidTableRelation",),
    ),
    ErrorEntry(
        code="BC-008",
        category=BC,
        severity=WARNING,
        retryable=True,
        title=_("Business Central is throttling requests"),
        message=_("Business Central asked us to slow down (too many requests)."),
        cause=_("The per-user limit of Business Central (6,000 requests per 5 minutes, 5 at a time) was reached."),
        remedy=_("Nothing to do: the request is retried after a pause. Frequent throttling: lower sync frequency."),
    ),
    ErrorEntry(
        code="BC-009",
        category=BC,
        severity=WARNING,
        retryable=True,
        title=_("Business Central temporarily unavailable"),
        message=_("Business Central did not answer in time or is temporarily unavailable (HTTP {status})."),
        cause=_("Maintenance, an upgrade, or an overloaded environment."),
        remedy=_("Nothing to do: the request is retried automatically. If it persists, check the BC admin center."),
        vendor_codes=("Internal_TenantUnavailable", "Internal_ServerError"),
    ),
    ErrorEntry(
        code="BC-010",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("Business Central not connected"),
        message=_("The integration has no Business Central connection (environment and company)."),
        cause=_("Business Central was never connected, or the connection was removed."),
        remedy=_("Open the Get Started wizard and connect Business Central."),
    ),
    ErrorEntry(
        code="BC-011",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("Business Central does not let this user in"),
        message=_("Business Central refused the signed-in user: {vendor_message}"),
        cause=_(
            "Microsoft signed the user in, but Business Central does not give them access: no Business Central "
            "licence (or a licence that does not cover this environment), no permission in the company, or the "
            "trial or subscription has ended. Signing in again does not change this."
        ),
        remedy=_(
            "In Business Central, open Users and check the user: assign a licence (an external accountant needs "
            "the External Accountant licence, a partner a GDAP role for Business Central) and permission sets "
            "for the company (for example D365 BUS FULL ACCESS), or renew the subscription. Then open the "
            "integration again; no reconnect is needed."
        ),
        vendor_codes=("Authentication_InvalidCredentials",),
    ),
    ErrorEntry(
        code="BC-099",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Business Central rejected the request"),
        message=_("Business Central returned {vendor_code}: {vendor_message}"),
        cause=_("Business Central refused the data for a reason the integration does not recognise specifically."),
        remedy=_("Read Business Central's message above; correct the data or setup in Business Central, then retry."),
    ),
    # --- 1xx: VAT ----------------------------------------------------------------------------------
    ErrorEntry(
        code="BC-101",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("VAT posting setup missing"),
        message=_(
            "VAT Posting Setup has no line for VAT Bus. Posting Group {vat_bus_group} and "
            "VAT Prod. Posting Group {vat_prod_group}."
        ),
        cause=_(
            "Business Central finds the VAT rate from the combination of the customer's VAT business posting "
            "group and the item's VAT product posting group. This combination does not exist."
        ),
        remedy=_(
            "In Business Central, open VAT Posting Setup and add a line for the combination, with the VAT % "
            "and the sales VAT account. Then retry."
        ),
    ),
    ErrorEntry(
        code="BC-102",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("VAT posting setup blocked"),
        message=_(
            "The VAT Posting Setup for VAT Bus. Posting Group {vat_bus_group} and "
            "VAT Prod. Posting Group {vat_prod_group} is blocked."
        ),
        cause=_("The VAT Posting Setup line exists but is marked Blocked."),
        remedy=_("In VAT Posting Setup, clear Blocked on the line (or change the mapping to a valid group)."),
    ),
    # --- 2xx: number series ------------------------------------------------------------------------
    ErrorEntry(
        code="BC-201",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Number series exhausted"),
        message=_("The number series {series_code} has no numbers left."),
        cause=_("Every number of the series has been used, or no series line is valid on the document date."),
        remedy=_("In No. Series, open the series' lines and raise the Ending No. or add a new line. Then retry."),
    ),
    ErrorEntry(
        code="BC-202",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Number beyond the end of the series"),
        message=_("The number series {series_code} cannot assign numbers greater than {last_number}."),
        cause=_("The next number would pass the Ending No. of the series line."),
        remedy=_("Raise the Ending No. of the series line, or add a new line with a new range. Then retry."),
    ),
    ErrorEntry(
        code="BC-203",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Manual numbers not allowed"),
        message=_("The number series {series_code} does not allow manual numbers."),
        cause=_(
            "The integration sends its own document or customer number (manual numbering), but Manual Nos. is "
            "off for the series in Business Central."
        ),
        remedy=_(
            "Either turn on Manual Nos. for the series in No. Series, or switch the integration's numbering "
            "to the Business Central number series."
        ),
    ),
    ErrorEntry(
        code="BC-204",
        category=BC,
        severity=WARNING,
        retryable=False,
        title=_("Number series almost exhausted"),
        message=_("The number series {series_code} has only {remaining} numbers left."),
        cause=_("The series will run out soon; documents will then fail to be created."),
        remedy=_("Raise the Ending No. of the series line or add a new line before it runs out."),
    ),
    ErrorEntry(
        code="BC-205",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Records numbered ahead of the number series"),
        message=_(
            "{entity} {numbers} already exist inside the number series {series_code} after its last used "
            "number {last_used}."
        ),
        cause=_(
            "Records were numbered by hand inside the range of the series. When the series reaches those "
            "numbers, creating a record fails because the number is taken."
        ),
        remedy=_(
            "Move the series' Last No. Used past these numbers, or renumber the records, or use a separate "
            "series for manually numbered records."
        ),
    ),
    ErrorEntry(
        code="BC-206",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Manual numbering does not match Business Central"),
        message=_("The integration uses manual numbers for {entity} but Manual Nos. is off for series {series_code}."),
        cause=_("The integration's numbering setting and the series' Manual Nos. setting disagree."),
        remedy=_("Turn on Manual Nos. for the series, or set the integration's numbering to the BC number series."),
    ),
    ErrorEntry(
        code="BC-207",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Number series not set up"),
        message=_("No number series is set up for {entity} (series {series_code})."),
        cause=_("The setup page does not name a series for this document type, or the series has no lines."),
        remedy=_("Set the series in Sales & Receivables Setup (or General Journal Batches) and give it a line."),
    ),
    # --- 3xx: currencies ---------------------------------------------------------------------------
    ErrorEntry(
        code="BC-301",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Exchange rate missing"),
        message=_("Business Central has no exchange rate for {currency} on or before {date}."),
        cause=_("The currency exists, but no exchange rate starts on or before the document date."),
        remedy=_(
            "Open Currencies, select the currency and add an exchange rate (or turn on the automatic "
            "exchange rate update service). Then retry."
        ),
    ),
    ErrorEntry(
        code="BC-302",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Currency not set up in Business Central"),
        message=_("The currency {currency} does not exist in Business Central."),
        cause=_("The shop sells in a currency that is not set up in Business Central."),
        remedy=_("Open Currencies in Business Central and add the currency with its exchange rates."),
    ),
    ErrorEntry(
        code="BC-303",
        category=BC,
        severity=WARNING,
        retryable=False,
        title=_("Exchange rate out of date"),
        message=_("The latest exchange rate for {currency} starts on {starting_date}, {age_days} days ago."),
        cause=_("Exchange rates have not been updated recently; documents are converted with an old rate."),
        remedy=_("Update the exchange rates or turn on the automatic exchange rate update service."),
    ),
    ErrorEntry(
        code="BC-304",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Local currency does not match"),
        message=_("Business Central's local currency is {bc_currency} but the integration expects {expected}."),
        cause=_("General Ledger Setup's LCY Code differs from the integration's base currency."),
        remedy=_("Correct the base currency of the integration, or LCY Code in General Ledger Setup."),
    ),
    # --- 4xx: master data --------------------------------------------------------------------------
    ErrorEntry(
        code="BC-401",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Customer blocked"),
        message=_("Customer {customer_number} is blocked ({blocked}) in Business Central."),
        cause=_("The customer card has Blocked set, so no documents can be created or posted for it."),
        remedy=_("Clear Blocked on the customer card (or map the order to another customer), then retry."),
    ),
    ErrorEntry(
        code="BC-402",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Item blocked"),
        message=_("Item {item_number} is blocked in Business Central."),
        cause=_("The item card has Blocked selected."),
        remedy=_("Clear Blocked on the item card, then retry."),
    ),
    ErrorEntry(
        code="BC-403",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Item blocked for sales"),
        message=_("Item {item_number} cannot be sold: Sales Blocked is selected on the item card."),
        cause=_("The item is blocked for sales documents only."),
        remedy=_("Clear Sales Blocked on the item card, then retry."),
    ),
    ErrorEntry(
        code="BC-404",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Posting group missing"),
        message=_("{field} must have a value in {table} {number}."),
        cause=_("A customer or item has no posting group, so Business Central cannot know which accounts to use."),
        remedy=_("Fill in the posting group on the card (or on the template used to create it), then retry."),
    ),
    ErrorEntry(
        code="BC-405",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Dimension value required"),
        message=_("Business Central requires a value for dimension {dimension_code} on {record}."),
        cause=_("A default dimension rule (Code Mandatory) requires a dimension value the document does not have."),
        remedy=_(
            "Give the customer, item or G/L account a default dimension value, or relax the rule "
            "(Value Posting) in Default Dimensions, then retry."
        ),
    ),
    ErrorEntry(
        code="BC-406",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Dimension blocked or not allowed"),
        message=_("A dimension rule in Business Central rejected the document: {vendor_message}"),
        cause=_("A dimension or dimension value is blocked, or a Same Code / No Code rule is not met."),
        remedy=_("Unblock the dimension value or correct the default dimensions named in the message, then retry."),
    ),
    # --- 5xx: payment journals ---------------------------------------------------------------------
    ErrorEntry(
        code="BC-501",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Payment journal batch not found"),
        message=_("The payment journal template {template} / batch {batch} does not exist in Business Central."),
        cause=_("The journal template or batch named in the integration's settings is missing."),
        remedy=_(
            "Create the batch under the template in Business Central (Cash Receipt Journals, Batch Name), or "
            "correct the names in the integration's settings."
        ),
    ),
    ErrorEntry(
        code="BC-502",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Payment journal batch has no balancing account"),
        message=_("The payment journal batch {batch} has no balancing account."),
        cause=_("Payment lines need an account to balance against; the batch does not name one."),
        remedy=_("Open the journal batch and set Bal. Account Type and Bal. Account No."),
    ),
    ErrorEntry(
        code="BC-503",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Customer payment batch in a template the API cannot write to"),
        message=_(
            "The customer payment batch {batch} is in the journal template {template}; Business Central's API "
            "writes customer payments only into the batches of {default_template}."
        ),
        cause=_(
            "The customer payments API always uses the first Cash Receipts journal template that is not "
            "recurring. Batches of other Cash Receipts templates are listed but cannot receive payments."
        ),
        remedy=_(
            "Create the batch under that first Cash Receipts template in Business Central (Cash Receipt Journals) "
            "and choose it in the payout configuration (Get Started, step 3 Settings)."
        ),
    ),
    ErrorEntry(
        code="BC-504",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Account not found"),
        message=_("The account {account} of the payout configuration {configuration} does not exist."),
        cause=_("A payout configuration names a G/L account or bank account that Business Central does not have."),
        remedy=_(
            "Choose an existing account in the payout configuration (Get Started, step 3 Settings), or create it "
            "in Business Central."
        ),
    ),
    ErrorEntry(
        code="BC-505",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Account is not a posting account"),
        message=_(
            "The G/L account {account} of the payout configuration {configuration} is a heading or total "
            "account, so nothing can be posted to it."
        ),
        cause=_("Journal lines can post only to G/L accounts whose Account Type is Posting."),
        remedy=_("Choose a posting account in the payout configuration (Get Started, step 3 Settings)."),
    ),
    ErrorEntry(
        code="BC-506",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Account is blocked"),
        message=_("The account {account} of the payout configuration {configuration} is blocked."),
        cause=_("Business Central refuses to post to a blocked G/L account or bank account."),
        remedy=_("Clear Blocked on the account in Business Central, or choose another account."),
    ),
    ErrorEntry(
        code="BC-507",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Bank account in another currency"),
        message=_(
            "The bank account {account} of the payout configuration {configuration} is in {bank_currency}, but the "
            "payouts are in {currency}."
        ),
        cause=_(
            "The net payout is transferred to the bank account, and a bank account with a currency takes only "
            "lines in that currency."
        ),
        remedy=_(
            "Choose a bank account in the payout's currency, or one without a currency, in the payout configuration."
        ),
    ),
    # --- 6xx: environment and published pages ------------------------------------------------------
    ErrorEntry(
        code="BC-601",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Business Central pages not published as web services"),
        message=_("The page {page_id} ({service_name}) is not published as an OData V4 web service."),
        cause=_(
            "Preflight reads VAT Posting Setup (page 472), No. Series (page 456), No. Series Lines (page 457) and, "
            "when dimensions are mapped, Dimension Values (page 537); stock per location is read from Item Ledger "
            "Entries (page 38). The standard API does not expose them fully. They are not published by default."
        ),
        remedy=_(
            "In Business Central, search for Web Services, choose New, set Object Type to Page, Object ID to "
            "the page number (472, 456, 457, 537 or 38), Service Name to VATPostingSetup, NoSeries, NoSeriesLines, "
            "DimensionValues or ItemLedgerEntries, and select Published. Repeat for each page."
        ),
    ),
    ErrorEntry(
        code="BC-602",
        category=BC,
        severity=WARNING,
        retryable=False,
        title=_("Production without a sandbox test"),
        message=_("The integration is connected to Production environment {environment} but was never tested."),
        cause=_("No test order was synced successfully against a Sandbox environment first."),
        remedy=_(
            "Create a Sandbox environment (free, in the Business Central admin center), connect it and run "
            "the test step of the Get Started wizard before going live on Production."
        ),
    ),
    # Business Central's API contract (field lengths, read-only fields, journal amount signs).
    ErrorEntry(
        code="BC-701",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Value longer than the Business Central field"),
        message=_("Business Central refused a value of {length} characters: the field holds at most {limit}."),
        cause=_(
            "A value sent to Business Central is longer than the table field behind it (for example Code[20] or "
            "Text[100]). The integration shortens free text itself, so this value came from elsewhere."
        ),
        remedy=_(
            "Shorten the value where it comes from (the shop or the integration's settings), then retry. If it "
            "keeps happening, contact support with the error details."
        ),
    ),
    ErrorEntry(
        code="BC-702",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Read-only Business Central field"),
        message=_("Business Central refused to set {field}: the field is read-only."),
        cause=_("The API page does not let anyone set this field; Business Central fills it in itself."),
        remedy=_("Contact support: the integration must not send this field. Retrying will not help."),
    ),
    ErrorEntry(
        code="BC-703",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Journal amount has the wrong sign"),
        message=_("Business Central requires the amount of this journal line to be {sign}."),
        cause=_(
            "Business Central checks the sign of a journal line against its document type: a payment from a "
            "customer must be negative, a refund to a customer positive."
        ),
        remedy=_(
            "Delete the line from the journal in Business Central, then retry the payout or payment so the "
            "integration writes it again."
        ),
    ),
    # --- 75x: Business Central on-premises ------------------------------------------------------------
    ErrorEntry(
        code="BC-751",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("Business Central on-premises refused the web service access key"),
        message=_("The Business Central server refused the user name and web service access key (HTTP {status})."),
        cause=_(
            "The user name or the web service access key is wrong, the key has expired or was replaced, the user "
            "is disabled, or the server does not use NavUserPassword or AccessControlService authentication."
        ),
        remedy=_(
            "In Business Central, open the user card (Users), check the user is enabled and generate a new Web "
            "Service Access Key (choose Key Never Expires or a later expiry date). Then enter the user name and the "
            "new key in the integration's Connect systems step."
        ),
    ),
    ErrorEntry(
        code="BC-752",
        category=BC,
        severity=CRITICAL,
        retryable=False,
        title=_("No Business Central API at this on-premises address"),
        message=_("The server at {address} answered, but not with Business Central's API v2.0."),
        cause=_(
            "The address does not name the server instance (https://server:port/instance), the port is not the "
            "OData port, or API services are not enabled on the server instance."
        ),
        remedy=_(
            "Enter the server instance address shown as the OData URL on the Web Services page, without "
            "/ODataV4. On the server, set ODataServicesEnabled and ApiServicesEnabled to true (Business Central "
            "Administration Shell, Set-NAVServerConfiguration) and restart the instance."
        ),
    ),
    ErrorEntry(
        code="BC-753",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("On-premises address not allowed"),
        message=_("The integration may not send credentials to {address}: {reason}"),
        cause=_(
            "The address is plain http, or a local or private network address that this installation has not "
            "allowed. Credentials only go over https to the public internet unless support allows the host."
        ),
        remedy=_(
            "Publish the Business Central server's OData port over https on a public name, or ask support to allow "
            "the host when the integration runs inside your network."
        ),
    ),
    # --- 8xx: Sandbox test and the move to Production ------------------------------------------------
    ErrorEntry(
        code="BC-801",
        category=BC,
        severity=WARNING,
        retryable=False,
        title=_("Test order not written in Production"),
        message=_(
            "The test order was not created: {company} is a Production company, so the test shows a preview only."
        ),
        cause=_(
            "The test step writes a real document only in a Sandbox company. In Production a test document would be "
            "part of the books."
        ),
        remedy=_(
            "Test in a Sandbox company first and move the integration to Production from its page afterwards, or go "
            "live here: the preview shows what each order becomes."
        ),
    ),
    ErrorEntry(
        code="BC-802",
        category=BC,
        severity=WARNING,
        retryable=True,
        title=_("Orders are syncing right now"),
        message=_("The test order waits: orders are being synced to Business Central right now."),
        cause=_("Another run of the orders flow is writing to Business Central; one run writes at a time."),
        remedy=_("Try again in a minute."),
    ),
    ErrorEntry(
        code="BC-803",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("Only a live Sandbox integration moves to Production"),
        message=_("This integration cannot move to Production: {why}"),
        cause=_(
            "Moving to Production carries the settings of a live integration from its Sandbox company to a "
            "Production company. The integration is not live, is not connected to a Sandbox company, or the "
            "chosen company is not in a Production environment."
        ),
        remedy=_("Go live in the Sandbox company first, then choose a company in a Production environment."),
    ),
    ErrorEntry(
        code="BC-804",
        category=BC,
        severity=ERROR,
        retryable=False,
        title=_("The Production company lacks what the settings use"),
        message=_("The Production company {company} does not have: {items}."),
        cause=_(
            "The integration's settings name payment methods, accounts, posting groups, customers, journals or "
            "currencies of the Sandbox company; the Production company has no record with that code."
        ),
        remedy=_(
            "Create the missing records in the Production company (or copy the Sandbox company's setup), then check "
            "again. Nothing changes until every setting is found."
        ),
    ),
)

_SHOP_ENTRIES = (
    ErrorEntry(
        code="SHOP-001",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("Shop access token invalid or revoked"),
        message=_("The shop {shop} rejected our access token."),
        cause=_("The app was uninstalled or its access was revoked in the shop's admin."),
        remedy=_("Reconnect the shop from the integration's settings (install the app again)."),
    ),
    ErrorEntry(
        code="SHOP-002",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("Shop not found"),
        message=_("The shop {shop} does not exist or is closed."),
        cause=_("The shop domain is wrong, the shop was closed, or its plan is paused."),
        remedy=_("Check the shop domain in the integration's settings and that the shop is open."),
    ),
    ErrorEntry(
        code="SHOP-003",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("Shop API throttled"),
        message=_("The shop asked us to slow down (rate limit)."),
        cause=_("The shop's API rate limit was reached."),
        remedy=_("Nothing to do: the request is retried after a pause."),
    ),
    ErrorEntry(
        code="SHOP-004",
        category=SHOP,
        severity=WARNING,
        retryable=False,
        title=_("Webhook signature invalid"),
        message=_("A webhook for {shop} had an invalid signature and was ignored."),
        cause=_("The webhook was not sent by the shop, or the webhook secret changed."),
        remedy=_("If this repeats, reconnect the shop so the webhook secret is renewed."),
    ),
    ErrorEntry(
        code="SHOP-005",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("Shop API temporarily unavailable"),
        message=_("The shop's API is temporarily unavailable (HTTP {status})."),
        cause=_("An outage or maintenance at the shop platform."),
        remedy=_("Nothing to do: the request is retried automatically."),
    ),
    ErrorEntry(
        code="SHOP-010",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("Shop not connected"),
        message=_("The integration has no shop connection."),
        cause=_("The shop was never connected, or the connection was removed."),
        remedy=_("Open the Get Started wizard and connect the shop (step 2)."),
    ),
    ErrorEntry(
        code="SHOP-011",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("Shop could not be reached"),
        message=_("The shop's API could not be reached (network error or timeout)."),
        cause=_("A network problem between the integration and the shop platform, or an outage."),
        remedy=_("Nothing to do: the next run tries again. If it persists, check the shop platform's status page."),
    ),
    ErrorEntry(
        code="SHOP-006",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("Shop stock changed while it was updated"),
        message=_("The stock of item {item} changed in the shop while we set it ({attempts} attempts)."),
        cause=_(
            "Sales or other apps kept changing the item's quantity in the shop between our reading it and our "
            "update, so the shop refused to overwrite it."
        ),
        remedy=_("Nothing to do: the next stock run sets the quantity again. If it repeats, retry the record."),
    ),
    ErrorEntry(
        code="SHOP-007",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("Shop bulk export failed"),
        message=_("The shop's bulk export of orders ended without a result: {vendor_message}"),
        cause=_("The shop platform failed, cancelled or expired the bulk operation that reads many orders at once."),
        remedy=_("Run the backfill again; if it fails again, run it over a shorter date range."),
    ),
    ErrorEntry(
        code="SHOP-008",
        category=SHOP,
        severity=ERROR,
        retryable=True,
        title=_("Shop did not confirm a change"),
        message=_("The shop did not confirm a change we sent; it may or may not have been applied."),
        cause=_("The connection to the shop was lost, or the shop failed, after the change had been sent."),
        remedy=_("Check the record in the shop before you retry it, so the change is not made twice."),
    ),
    ErrorEntry(
        code="SHOP-009",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("Shop refused the integration's request"),
        message=_("The shop refused a request of the integration itself: {vendor_message}"),
        cause=_(
            "The request does not fit the shop platform's API version (a field was removed, or the request is too "
            "costly). This is not caused by your data."
        ),
        remedy=_("Contact support: the integration must be updated for the shop platform's current API version."),
    ),
    ErrorEntry(
        code="SHOP-020",
        category=SHOP,
        severity=ERROR,
        retryable=False,
        title=_("Shop installation not completed"),
        message=_("Connecting the shop {shop} did not complete: {vendor_message}"),
        cause=_(
            'Shopify\'s answer after "Install app" could not be verified, came too late, belonged to another shop '
            "or browser session, or Shopify did not accept the installation."
        ),
        remedy=_("Connect Shopify again from step 2 of the wizard and approve the app in Shopify."),
    ),
    ErrorEntry(
        code="SHOP-021",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("Shop connection must be renewed"),
        message=_("Shopify refused to renew the connection to {shop}."),
        cause=_(
            "The app's access to the shop was revoked, the app was removed, or the connection was not used for "
            "90 days. Syncing is paused; nothing is lost."
        ),
        remedy=_(
            'Open the integration, choose "Connect Shopify" and approve the app again. Syncing resumes and '
            "catches up on its own."
        ),
    ),
    ErrorEntry(
        code="SHOP-022",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("Shop webhooks could not be set up"),
        message=_("Shopify did not accept the integration's webhook subscriptions: {vendor_message}"),
        cause=_(
            "Shopify refused or could not answer while the product created, checked or removed its webhook "
            "subscriptions (a missing permission, an address Shopify cannot reach, an outage)."
        ),
        remedy=_(
            "Nothing is lost: the regular check still syncs every order, only later. The subscriptions are checked "
            "again daily; if this repeats, connect Shopify again, or ask support to check the public address."
        ),
    ),
    ErrorEntry(
        code="SHOP-023",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("Shopify app not configured"),
        message=_("The product's Shopify app credentials are not set."),
        cause=_("SHOPIFY_CLIENT_ID or SHOPIFY_CLIENT_SECRET is empty on this server."),
        remedy=_("Support: set the app's client id and secret from Shopify's app settings, then restart."),
    ),
    ErrorEntry(
        code="SHOP-099",
        category=SHOP,
        severity=ERROR,
        retryable=False,
        title=_("Shop rejected the request"),
        message=_("The shop returned an error: {vendor_message}"),
        cause=_("The shop platform refused the request for a reason the integration does not recognise."),
        remedy=_("Read the shop's message; correct the data in the shop, then retry."),
    ),
    ErrorEntry(
        code="SHOP-401",
        category=SHOP,
        severity=ERROR,
        retryable=True,
        title=_("Shop rejected a product"),
        message=_("The shop refused the product for item {item}: {vendor_message}"),
        cause=_("The shop's validation refused a value from Business Central (SKU, barcode, price, title)."),
        remedy=_("Correct the item in Business Central (or the product in the shop), then retry the record."),
    ),
    ErrorEntry(
        code="SHOP-402",
        category=SHOP,
        severity=ERROR,
        retryable=True,
        title=_("Shop rejected a stock update"),
        message=_("The shop refused the stock of item {item}: {vendor_message}"),
        cause=_(
            "The shop refused this one quantity (an unknown or untracked inventory item, a bundle, a removed "
            "location). The other items of the batch were updated."
        ),
        remedy=_("Check the product's inventory tracking and location in the shop, then retry the record."),
    ),
)


# --- WooCommerce stores (REST API v3) ------------------------------------------------------------------
_WOO_ENTRIES = (
    ErrorEntry(
        code="WOO-001",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("WooCommerce rejected the API key"),
        message=_("The WooCommerce store {store} rejected the API key: {vendor_message}"),
        cause=_(
            "The consumer key or secret is wrong or was revoked, or the key has only read access and the "
            "integration needed to write (stock levels)."
        ),
        remedy=_(
            "In WordPress, open WooCommerce > Settings > Advanced > REST API, create a key with Read/Write "
            "permission for an administrator or shop manager, and enter the new key and secret in the "
            "integration's settings."
        ),
        vendor_codes=("woocommerce_rest_authentication_error", "woocommerce_rest_cannot_view"),
    ),
    ErrorEntry(
        code="WOO-002",
        category=SHOP,
        severity=ERROR,
        retryable=False,
        title=_("WooCommerce store or record not found"),
        message=_('The WooCommerce store {store} answered "not found": {vendor_message}'),
        cause=_(
            "The store URL is wrong, WooCommerce is deactivated, the WordPress REST API is blocked or the "
            'permalinks are set to "Plain", or the order or product was deleted in the store.'
        ),
        remedy=_(
            "Open the store URL in a browser and check that WooCommerce is active and that Settings > "
            'Permalinks is not "Plain". If only one record fails, check that it still exists in the store.'
        ),
        vendor_codes=("rest_no_route", "woocommerce_rest_shop_order_invalid_id", "woocommerce_rest_invalid_order_id"),
    ),
    ErrorEntry(
        code="WOO-003",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("WooCommerce store asked us to slow down"),
        message=_("The WooCommerce store {store} limited the number of requests (HTTP {status})."),
        cause=_("The store's host or a security plugin limits how many API requests may be made per minute."),
        remedy=_(
            "Nothing to do: the request is retried after a pause. If it keeps happening, ask the host to "
            "allow more requests to /wp-json/wc/v3/ from the integration."
        ),
    ),
    ErrorEntry(
        code="WOO-004",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("WooCommerce store unreachable"),
        message=_("The WooCommerce store {store} could not be reached or failed to answer ({vendor_message})."),
        cause=_(
            "The website is down, overloaded or in maintenance mode, its certificate is invalid, or "
            "WordPress answered with a server error."
        ),
        remedy=_(
            "Nothing to do for a short outage: the request is retried automatically. If it lasts, check "
            "that the website opens over https and ask the host about server errors."
        ),
    ),
    ErrorEntry(
        code="WOO-005",
        category=SHOP,
        severity=ERROR,
        retryable=False,
        title=_("WooCommerce refused the data"),
        message=_("The WooCommerce store {store} refused the request: {vendor_message}"),
        cause=_(
            "WooCommerce's validation refused a value the integration sent (for example a stock quantity "
            "for a product that does not manage stock), or a plugin changed the API."
        ),
        remedy=_("Read WooCommerce's message, correct the product or setting in the store, then retry the record."),
        vendor_codes=("rest_invalid_param", "woocommerce_rest_request_entity_too_large"),
    ),
    ErrorEntry(
        code="WOO-006",
        category=SHOP,
        severity=WARNING,
        retryable=False,
        title=_("WooCommerce webhook signature invalid"),
        message=_("A webhook from {store} had an invalid signature and was ignored."),
        cause=_("The webhook was not sent by the store, or its secret differs from the one the integration has."),
        remedy=_(
            "In WooCommerce > Settings > Advanced > Webhooks, open the integration's webhooks and set the "
            "secret shown in the integration's settings."
        ),
    ),
    ErrorEntry(
        code="WOO-007",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("WooCommerce store address must use https"),
        message=_("The store address {store} does not start with https://."),
        cause=_("WooCommerce accepts the API key and secret only over an encrypted (https) connection."),
        remedy=_("Enter the store address with https:// (the website needs a valid certificate)."),
    ),
    ErrorEntry(
        code="WOO-008",
        category=SHOP,
        severity=ERROR,
        retryable=True,
        title=_("WooCommerce store gave an unexpected answer"),
        message=_("The WooCommerce store {store} answered with something other than the API's data."),
        cause=_(
            "A cache, security or maintenance plugin, or the host, answered the API request with a web "
            "page or a redirect instead of WooCommerce's data."
        ),
        remedy=_(
            "Exclude /wp-json/ from caching and from the security plugin's challenges, then retry. The "
            "request is retried automatically."
        ),
    ),
    ErrorEntry(
        code="WOO-009",
        category=SHOP,
        severity=ERROR,
        retryable=False,
        title=_("WooCommerce store returned an error"),
        message=_("The WooCommerce store {store} returned an error: {vendor_message}"),
        cause=_("The store refused the request for a reason the integration does not recognise."),
        remedy=_("Read the store's message; correct the data in the store, then retry."),
    ),
    ErrorEntry(
        code="WOO-010",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("WooCommerce API key can only read"),
        message=_("The WooCommerce store {store} accepted the API key for reading but refused a change."),
        cause=_(
            "The key was created with Read permission. The integration also writes: it sets up the store's "
            "webhooks and keeps stock levels up to date."
        ),
        remedy=_(
            "In WordPress, open WooCommerce > Settings > Advanced > REST API, edit the key (or create a new one) "
            "with Read/Write permission, and enter it again."
        ),
    ),
    ErrorEntry(
        code="WOO-011",
        category=SHOP,
        severity=CRITICAL,
        retryable=False,
        title=_("WooCommerce REST API not available"),
        message=_("The website {store} does not answer WooCommerce's REST API at /wp-json/wc/v3/."),
        cause=_(
            "The address is not the WordPress site, WooCommerce is deactivated, the WordPress REST API is "
            'switched off by a plugin, or Settings > Permalinks is "Plain".'
        ),
        remedy=_(
            "Check the address (the one the shop opens at). In WordPress, make sure WooCommerce is active, "
            'Settings > Permalinks is not "Plain", and no security plugin blocks /wp-json/. Then connect again.'
        ),
    ),
    ErrorEntry(
        code="WOO-012",
        category=SHOP,
        severity=WARNING,
        retryable=True,
        title=_("WooCommerce webhooks could not be set up"),
        message=_("The WooCommerce store {store} did not save the integration's webhooks: {vendor_message}"),
        cause=_(
            "The store refused to save a webhook or could not be reached while they were set up. Orders are "
            "still synced by the regular check, only later."
        ),
        remedy=_(
            "Connect the store again in the setup's step 2. If it keeps failing, check in WooCommerce > Settings "
            "> Advanced > Webhooks that webhooks can be added and that the store can reach the internet."
        ),
    ),
    ErrorEntry(
        code="WOO-013",
        category=SHOP,
        severity=ERROR,
        retryable=True,
        title=_("Price with and without VAT do not match"),
        message=_(
            "The unit price of item {item} in Business Central and the prices of the WooCommerce store {store} "
            "differ in whether they include VAT, so the price was not written."
        ),
        cause=_(
            'The item\'s "Price Includes VAT" in Business Central and the store\'s "Prices entered with tax" '
            "(WooCommerce > Settings > Tax) say different things. The integration does not convert prices: "
            "the VAT rate of each product in the store is not known to it."
        ),
        remedy=_(
            'Make both the same: set "Price Includes VAT" on the item card in Business Central (with the unit '
            'price adjusted), or change "Prices entered with tax" in WooCommerce. Then retry the record.'
        ),
    ),
    ErrorEntry(
        code="WOO-014",
        category=SHOP,
        severity=ERROR,
        retryable=True,
        title=_("SKU already used in the WooCommerce store"),
        message=_(
            "Item {item} was not created in the WooCommerce store {store}: the SKU {sku} is already used by "
            "another product or variation there."
        ),
        cause=_(
            "WooCommerce keeps every SKU unique. A product or variation that is not linked to this item, "
            "often a variation of another product, already has the SKU."
        ),
        remedy=_(
            "In WooCommerce, find the product or variation with this SKU. If it is the same article, give the "
            "item variants in Business Central or remove the duplicate in the store; otherwise change one of "
            "the SKUs. Then retry the record."
        ),
        vendor_codes=("product_invalid_sku",),
    ),
)


def _signin_entries() -> tuple[ErrorEntry, ...]:
    """Sign-in codes are owned by the Entra connector (one list); here they become catalogue entries."""
    return tuple(
        ErrorEntry(
            code=auth.code,
            category=SIGNIN,
            severity=Severity(auth.severity),
            retryable=auth.retryable,
            title=auth.title,
            message=auth.title,
            cause=auth.cause,
            remedy=auth.remedy,
            vendor_codes=tuple(f"AADSTS{number}" for number in auth.aadsts),
        )
        for auth in AUTH_ERRORS
    )


_SIGNIN_ENTRIES = _signin_entries()


def _map(code, severity, title, message, cause, remedy) -> ErrorEntry:
    return ErrorEntry(
        code=code,
        category=MAPPING,
        severity=severity,
        retryable=False,
        title=title,
        message=message,
        cause=cause,
        remedy=remedy,
    )


# MAP-0xx: order, customer and refund mapping; MAP-4xx: stock and products.
_MAPPING_ENTRIES = (
    _map(
        "MAP-001",
        ERROR,
        _("SKU not found in Business Central"),
        _("No Business Central item matches SKU {sku} ({title})."),
        _("The SKU of an order line matches no item number (or GTIN), and no fallback G/L account is set."),
        _(
            "Create the item in Business Central, correct the SKU in the shop, or set a fallback G/L account "
            "for unmapped SKUs in the integration's settings. Then retry."
        ),
    ),
    _map(
        "MAP-002",
        ERROR,
        _("Country not mapped to a VAT business posting group"),
        _("The country {country} has no VAT business posting group mapped."),
        _("Orders ship to a country that has no country mapping (needed for OSS VAT)."),
        _("Add a country mapping with the VAT business posting group for the country, then retry."),
    ),
    _map(
        "MAP-003",
        ERROR,
        _("Collective customer missing"),
        _("No collective customer is set for country {country}."),
        _("The customer strategy is one collective customer per country, and this country has none."),
        _(
            "Choose the country's collective customer in the integration's settings (Get Started, step 3 "
            "Settings), then retry."
        ),
    ),
    _map(
        "MAP-004",
        ERROR,
        _("Shipping method not mapped"),
        _("The shipping method {code} is not mapped."),
        _("Orders use a shipping method with no mapping to a freight line."),
        _("Add a shipping method mapping (freight item or G/L account), then retry."),
    ),
    _map(
        "MAP-005",
        ERROR,
        _("Gift card account missing"),
        _("The order line {title} is a gift card, but no gift card G/L account is set."),
        _("Gift cards sold are a liability, booked to a G/L account the integration's settings must name."),
        _("Set the gift card G/L account in the integration's settings, then retry."),
    ),
    _map(
        "MAP-006",
        ERROR,
        _("Order has no country"),
        _("Order {order} has no billing or shipping country."),
        _("The VAT business posting group and the customer are chosen by country, and the order has none."),
        _("Add an address to the order in the shop, then retry."),
    ),
    _map(
        "MAP-007",
        ERROR,
        _("Totals do not match"),
        _("The Business Central total of order {order} differs from the shop total beyond rounding."),
        _("Prices, discounts or VAT were calculated differently in Business Central than in the shop."),
        _("Compare VAT rates and price settings (prices incl. VAT) of the items and customer, then retry."),
    ),
    _map(
        "MAP-008",
        WARNING,
        _("Order edited after sync"),
        _("Order {order} was changed in the shop after it was synced to Business Central."),
        _("The order was edited (lines, amounts, address) after the document was created."),
        _("Review the differences and correct the Business Central document by hand if needed."),
    ),
    _map(
        "MAP-009",
        ERROR,
        _("Refund without a synced invoice"),
        _("The refund of order {order} cannot be booked: the order's invoice is not in Business Central."),
        _("A credit memo is applied to the order's posted invoice, which was not synced (or failed)."),
        _("Sync the order first (retry it in the entities view), then retry the refund."),
    ),
    _map(
        "MAP-010",
        ERROR,
        _("Customer without e-mail or phone"),
        _("Order {order} has no e-mail or phone to match or create the customer."),
        _("The customer strategy matches customers by e-mail, then phone, and the order has neither."),
        _("Add contact details to the order, or use the collective customer strategy."),
    ),
    _map(
        "MAP-011",
        INFO,
        _("Order has nothing to invoice"),
        _("Order {order} has no lines to invoice."),
        _("Every line of the order was removed or has a zero amount."),
        _("Nothing to do unless the order should have lines; then correct it in the shop."),
    ),
    _map(
        "MAP-012",
        ERROR,
        _("Refund account missing"),
        _("The refund of order {order} has an amount that needs a G/L account, but none is set."),
        _("Refunds of shipping or adjustments without an item are booked to a G/L account."),
        _("Set the account in the integration's settings, then retry the refund."),
    ),
    _map(
        "MAP-013",
        ERROR,
        _("Payment method not mapped"),
        _("The payment method {gateway} has no Business Central payment method mapped."),
        _("Orders were paid with a payment method that has no mapping."),
        _("Add a payment method mapping for it in the integration's settings, then retry."),
    ),
    _map(
        "MAP-014",
        ERROR,
        _("Tax class not mapped"),
        _("The product tax class {tax_class} has no VAT product posting group mapped."),
        _("An order line uses a tax class without a mapping."),
        _("Add a tax class mapping to a VAT product posting group, then retry."),
    ),
    _map(
        "MAP-015",
        ERROR,
        _("Shipment method not found in Business Central"),
        _("The shipment method {code} of the shipping method mapping does not exist in Business Central."),
        _("A shipping method mapping names a Business Central shipment method code that BC does not have."),
        _(
            "Create the shipment method in Business Central, or correct (or clear) the BC shipment method code "
            "on the shipping method mapping, then retry."
        ),
    ),
    _map(
        "MAP-016",
        WARNING,
        _("Credit memo not applied to a draft invoice"),
        _(
            "The invoice of order {order} was still a draft, so credit memo {credit_memo} was left as a draft "
            "without an applies-to invoice."
        ),
        _(
            "Orders are left as draft invoices for the accountant to post, and the order was refunded before "
            "its invoice was posted. A credit memo can only be applied to a posted invoice."
        ),
        _(
            "Post the invoice in Business Central, then open the draft credit memo, set Applies-to Doc. Type "
            "Invoice and the invoice's number, and post it."
        ),
    ),
    _map(
        "MAP-017",
        WARNING,
        _("Text shortened to fit Business Central"),
        _("{field} had {original_length} characters; Business Central holds {length}, so it was shortened."),
        _(
            "A Business Central text field has a fixed length (for example a description holds 100 characters). "
            "Longer text from the shop is cut at that length and the cut is recorded on the record."
        ),
        _("Nothing to do, unless the end of the text matters: then complete it in Business Central."),
    ),
    _map(
        "MAP-018",
        ERROR,
        _("Value too long for Business Central"),
        _("{field} '{value}' is longer than the {length} characters Business Central's field holds."),
        _(
            "The value identifies a record (a number, a code or the external document number). Shortening it "
            "could point at another record or lose the link to the shop, so it is not sent."
        ),
        _("Shorten the value in the shop (or in the integration's mappings), then retry the record."),
    ),
    _map(
        "MAP-019",
        INFO,
        _("Order left out by the order filters"),
        _("Order {order} was not synced: {skip_reason}."),
        _(
            "The integration's order filters (test orders, tags, sales channels, risk level) leave this order out. "
            "It is recorded as skipped so it is never silently lost."
        ),
        _(
            "Nothing to do if the order should stay out of Business Central. Otherwise change the order filters in "
            "the settings (or the order's tags in the shop); the next sync picks it up."
        ),
    ),
    _map(
        "MAP-020",
        ERROR,
        _("Dimension value not in Business Central"),
        _("Dimension {dimension_code} has no value {value} in Business Central."),
        _(
            "A dimension mapping (sales channel, market or shop) names a dimension or a dimension value that "
            "Business Central does not have."
        ),
        _(
            "Create the dimension value in Business Central (Dimensions, Dimension Values), or correct the dimension "
            "mapping, then retry the order."
        ),
    ),
    _map(
        "MAP-021",
        ERROR,
        _("Document number prefix shared with another shop"),
        _("The document number prefix '{prefix}' is also used by {integrations}, connected to the same company."),
        _(
            "Several shops booked into one Business Central company need different document number prefixes: the "
            "prefix starts every external document number, so the same order number from two shops never meets."
        ),
        _(
            "Give this integration a prefix of its own in the settings before it goes live (for example SE- and "
            "DE-). A live integration keeps its prefix."
        ),
    ),
    _map(
        "MAP-022",
        ERROR,
        _("Dimension value blocked in Business Central"),
        _("Dimension value {dimension_code} {value} is blocked in Business Central."),
        _("A dimension mapping names a dimension value that is blocked; Business Central refuses to post with it."),
        _("Unblock the dimension value in Business Central, or map another value, then retry."),
    ),
    _map(
        "MAP-023",
        ERROR,
        _("Location not in Business Central"),
        _("Location {code} does not exist in Business Central."),
        _("The location code in the settings (put on every item line) is not a location in this company."),
        _("Correct the location code in the settings, or create the location in Business Central, then retry."),
    ),
    _map(
        "MAP-024",
        ERROR,
        _("Salesperson not in Business Central or blocked"),
        _("Salesperson {code} does not exist in Business Central or is blocked."),
        _("The salesperson code in the settings (put on every document) is unknown or blocked in this company."),
        _("Correct the salesperson code in the settings, or create or unblock the salesperson, then retry."),
    ),
    _map(
        "MAP-025",
        ERROR,
        _("Shipment could not fulfil the shop order"),
        _("Shipment {shipment} for order {order} could not be fulfilled in the shop: {reason_text}"),
        _(
            "A shipment posted in Business Central names items or quantities the shop order has no open "
            "fulfilment for (already fulfilled in the shop, cancelled, or an item the order does not hold)."
        ),
        _(
            "Check the order in the shop: fulfil what is left by hand if needed. The shipment is recorded and "
            "never sent twice; retry it after fixing the order."
        ),
    ),
    _map(
        "MAP-026",
        WARNING,
        _("Document number not written back to the shop"),
        _("The Business Central number {number} could not be written to order {order} in the shop."),
        _("The shop refused or did not answer the metafield or tag that carries the Business Central number."),
        _("Check the app's access to orders in the shop; the write is tried again at the next sync."),
    ),
    _map(
        "MAP-027",
        ERROR,
        _("Customer has another VAT business posting group than its country"),
        _(
            "Customer {customer_number} is used for orders to {country} but has the VAT business posting group "
            "{customer_group}; {country} is mapped to {vat_bus_group}."
        ),
        _(
            "Business Central takes the VAT business posting group from the customer card, so its invoices would "
            "carry the wrong VAT (for example domestic VAT on an OSS sale)."
        ),
        _(
            "Set the customer's VAT Bus. Posting Group to the country's group in Business Central, or correct the "
            "country mapping, then retry."
        ),
    ),
    _map(
        "MAP-401",
        ERROR,
        _("Item has no GTIN"),
        _("Item {item} has no GTIN, and the SKU rule matches products by GTIN."),
        _("With the GTIN SKU rule, every item pushed to the shop needs a GTIN in Business Central."),
        _("Fill in the GTIN on the item card in Business Central, or change the SKU rule, then retry."),
    ),
    _map(
        "MAP-402",
        ERROR,
        _("No shop location for stock"),
        _("No shop location is mapped to receive stock levels."),
        _("Stock levels are written to a shop location, and the integration has no location mapping."),
        _("Add a location mapping (BC location, or empty for total inventory, to the shop location)."),
    ),
    _map(
        "MAP-403",
        ERROR,
        _("Mapped Business Central location not found"),
        _("Business Central has no location {locations}, yet stock is mapped from it to a shop location."),
        _("A location was renamed or deleted in Business Central after it was mapped to a shop location."),
        _("Map the shop location to an existing Business Central location in the Get Started wizard's stock step."),
    ),
)

_PAYOUT_ENTRIES = (
    ErrorEntry(
        code="PAY-001",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("No invoice found for payout transaction"),
        message=_("No invoice found for reference {reference} (searched {field})."),
        cause=_(
            "The payout's charge refers to an order whose invoice was not found by that reference, usually "
            "because the order was not synced or the reference field differs."
        ),
        remedy=_("Sync the order first, or check that orders and payouts use the same reference field."),
    ),
    ErrorEntry(
        code="PAY-002",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Payout currency differs from invoice currency"),
        message=_("The payout is in {payout_currency} but invoice {invoice} is in {invoice_currency}."),
        cause=_("Orders are invoiced in the customer's currency while the provider pays out in another currency."),
        remedy=_("Align the integration's currency handling (shop vs presentment currency) with the payout currency."),
    ),
    ErrorEntry(
        code="PAY-003",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Payout accounts not mapped"),
        message=_("No payout accounts are mapped for {provider} in {currency}."),
        cause=_("The clearing, fee and bank accounts for this provider and currency are not set."),
        remedy=_("Add a payout account mapping for the provider and currency in the integration's settings."),
    ),
    ErrorEntry(
        code="PAY-004",
        category=PAYOUT,
        severity=WARNING,
        retryable=False,
        title=_("Unknown payout transaction type"),
        message=_("The payout transaction type {raw_type} is not recognised and was not booked."),
        cause=_("The provider reported a transaction type the integration does not know how to book."),
        remedy=_("Book the transaction by hand in Business Central and tell support the type."),
    ),
    ErrorEntry(
        code="PAY-005",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Clearing account not zero after payout"),
        message=_("After payout {payout} the clearing account {account} is off by {difference}."),
        cause=_("Some transactions of the payout were not booked, or amounts differ from the invoices."),
        remedy=_("Open the payout report, book the unmatched lines, and correct differences in Business Central."),
    ),
    ErrorEntry(
        code="PAY-006",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Payment journal does not balance against the clearing account"),
        message=_(
            "The customer payment journal {batch} balances against {journal_account}, but the clearing account "
            "for {provider} in {currency} is {clearing_account}."
        ),
        cause=_(
            "Customer payment lines take their balancing account from the journal batch, so the batch must "
            "balance against the provider's clearing account."
        ),
        remedy=_(
            "Set the batch's Bal. Account No. to the clearing account in Business Central, or map the clearing "
            "account to the batch's balancing account."
        ),
    ),
    ErrorEntry(
        code="PAY-007",
        category=PAYOUT,
        severity=ERROR,
        retryable=True,
        title=_("Foreign-currency payout needs the General Journal web service"),
        message=_(
            "Payout {payout} is in {currency}, not the local currency {lcy}: its fee and transfer lines need the "
            "General Journal page (39) published as the web service GeneralJournal."
        ),
        cause=_(
            "The Business Central API writes general journal lines in the local currency only. Lines in another "
            "currency are written through the General Journal page, which must be published as a web service."
        ),
        remedy=_(
            "In Business Central open Web Services, add Object Type Page, Object ID 39, Service Name "
            "GeneralJournal, tick Published, then retry the payout."
        ),
    ),
    ErrorEntry(
        code="PAY-008",
        category=PAYOUT,
        severity=WARNING,
        retryable=False,
        title=_("Payout totals do not add up"),
        message=_("The transactions of payout {payout} add up to {total}, but the provider paid out {net}."),
        cause=_("The provider reported transactions that do not sum to the payout, or some were not received."),
        remedy=_("Re-fetch the payout; if the difference stays, compare it with the provider's payout report."),
    ),
    ErrorEntry(
        code="PAY-009",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Payment rounding account missing"),
        message=_(
            "The charge for {reference} ({amount}) differs from the open amount of invoice {invoice} ({remaining}) "
            "by {difference}, and no payment rounding G/L account is set."
        ),
        cause=_(
            "Lines go to Business Central excluding VAT, so its total can differ from the shop's by a cent. The "
            "difference is booked on a payment rounding account so the invoice is closed exactly."
        ),
        remedy=_("Set the payment rounding G/L account in the integration's settings, then retry the payout."),
    ),
    ErrorEntry(
        code="PAY-010",
        category=PAYOUT,
        severity=CRITICAL,
        retryable=False,
        title=_("Payment provider not connected"),
        message=_("The integration has no connection to the payment provider."),
        cause=_("The payment provider was never connected, or the connection was removed."),
        remedy=_("Open the Get Started wizard and connect the payment provider (step 2)."),
    ),
    ErrorEntry(
        code="PAY-011",
        category=PAYOUT,
        severity=CRITICAL,
        retryable=False,
        title=_("Payment provider key refused"),
        message=_("The payment provider refused the stored API key."),
        cause=_("The key was revoked, rolled or lacks read access to balances and payouts."),
        remedy=_("Create a new restricted key with read access and connect the payment provider again."),
    ),
    ErrorEntry(
        code="PAY-012",
        category=PAYOUT,
        severity=WARNING,
        retryable=True,
        title=_("Payment provider unavailable"),
        message=_("The payment provider could not be reached or answered with an error."),
        cause=_("A network problem or an outage at the payment provider."),
        remedy=_("Nothing to do: the next run tries again."),
    ),
    ErrorEntry(
        code="PAY-013",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("No payout configuration for the payout"),
        message=_("No payout configuration matches {provider} {market} in {currency}."),
        cause=_(
            "Each payout is booked with the configuration of its provider, market and currency (journal batch, "
            "clearing, fee and bank accounts). None matches this payout."
        ),
        remedy=_(
            "Add a payout configuration for the provider, market and currency (Get Started, step 3 Settings), "
            "then retry the payout."
        ),
    ),
    # --- 1xx: Klarna and Adyen payout connections ------------------------------------------------------
    ErrorEntry(
        code="PAY-014",
        category=PAYOUT,
        severity=ERROR,
        retryable=True,
        title=_("Invoice and customer in different currencies"),
        message=_(
            "Invoice {invoice} is in {invoice_currency}, but its customer {customer_number} is in {currency} in "
            "Business Central, so a payment to the customer would be booked in {currency}."
        ),
        cause=_(
            "Business Central gives a payment line the currency of the customer card, and applies a payment only "
            "to an invoice in the same currency. Nothing is written, so the journal still posts."
        ),
        remedy=_(
            "Pay the invoice by hand in Business Central, or give the country's customer the currency its "
            "invoices are made in (or invoice in the customer's currency), then retry the payout."
        ),
    ),
    ErrorEntry(
        code="PAY-101",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Payment provider refused the credentials"),
        message=_("The payment provider refused the credentials of a payout connection: {vendor_message}"),
        cause=_(
            "The API user name, password or key of this market's Klarna or Adyen connection is wrong, was "
            "revoked, or lacks the right to read settlements or reports."
        ),
        remedy=_(
            "Create new credentials for this market (Klarna: API credentials in the Merchant Portal; Adyen: a "
            "report user) and enter them in the payment provider settings, then retry."
        ),
    ),
    ErrorEntry(
        code="PAY-102",
        category=PAYOUT,
        severity=WARNING,
        retryable=True,
        title=_("Payment provider not reachable"),
        message=_("The payment provider did not answer: {vendor_message}"),
        cause=_("Klarna or Adyen was unreachable, timed out or kept answering with a server error after retries."),
        remedy=_("Nothing was booked. The next payout run tries again; retry now if it persists."),
    ),
    ErrorEntry(
        code="PAY-103",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Payment provider rejected the request"),
        message=_("The payment provider rejected the request: {vendor_message}"),
        cause=_("Klarna or Adyen refused a parameter of the request, such as a date range or a payout reference."),
        remedy=_(
            "Check the connection's region, environment and currency, then retry. Contact support if it persists."
        ),
    ),
    ErrorEntry(
        code="PAY-104",
        category=PAYOUT,
        severity=ERROR,
        retryable=False,
        title=_("Settlement report unreadable"),
        message=_("The settlement report could not be read: {vendor_message}"),
        cause=_(
            "The file Adyen returned is not a settlement details report with the expected column headers, or "
            "holds an amount that is not a number."
        ),
        remedy=_(
            "Check in Adyen's Customer Area that the settlement details report keeps the standard columns "
            "(Merchant Account, Psp Reference, Merchant Reference, Type, Net Currency), then retry."
        ),
    ),
)

_SYSTEM_ENTRIES = (
    ErrorEntry(
        code="SYS-001",
        category=SYSTEM,
        severity=CRITICAL,
        retryable=False,
        title=_("Unexpected internal error"),
        message=_("An unexpected error occurred: {vendor_message}"),
        cause=_("A fault in the integration itself."),
        remedy=_("Support has been notified through the logs; retry later or contact support with this code."),
    ),
    ErrorEntry(
        code="SYS-002",
        category=SYSTEM,
        severity=WARNING,
        retryable=True,
        title=_("Network error"),
        message=_("A connection to {system} failed or timed out."),
        cause=_("A network problem between the integration and the other system."),
        remedy=_("Nothing to do: the request is retried automatically."),
    ),
    ErrorEntry(
        code="SYS-003",
        category=SYSTEM,
        severity=WARNING,
        retryable=True,
        title=_("Run lost its lock"),
        message=_("The run stopped because another worker took over its flow."),
        cause=_("The run took longer than its lock lasts (the worker was slow or paused), so the lock expired."),
        remedy=_("Nothing to do: the next run continues from the saved position; nothing is written twice."),
    ),
    ErrorEntry(
        code="SYS-004",
        category=SYSTEM,
        severity=CRITICAL,
        retryable=False,
        title=_("Stored secret cannot be decrypted"),
        message=_("A stored token or key cannot be decrypted with the configured encryption keys."),
        cause=_("The encryption key it was written with was removed from FIELD_ENCRYPTION_KEYS."),
        remedy=_("Support: add the old key back after the first one, run rotate_keys, or reconnect the system."),
    ),
    ErrorEntry(
        code="SYS-005",
        category=SYSTEM,
        severity=CRITICAL,
        retryable=False,
        title=_("Configuration incomplete"),
        message=_("The product's configuration is incomplete: {vendor_message}"),
        cause=_("A required setting (for example FIELD_ENCRYPTION_KEYS) is missing or invalid on this server."),
        remedy=_("Support: set the named setting, restart the workers, then retry."),
    ),
)

ENTRIES: tuple[ErrorEntry, ...] = (
    _BC_ENTRIES + _SHOP_ENTRIES + _WOO_ENTRIES + _SIGNIN_ENTRIES + _MAPPING_ENTRIES + _PAYOUT_ENTRIES + _SYSTEM_ENTRIES
)
