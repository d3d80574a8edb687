# The operator's console (/admin).

## Layout and navigation
console-title = { $name } console
console-nav = Console
console-nav-overview = Overview
console-nav-review = Review queue
console-nav-reports = Reports
console-nav-orders = Orders
console-nav-categories = Categories
console-nav-settings = Settings & branding
console-nav-audit = Audit log

console-no-such-id = nothing here has the id { $id }

## Who did something
console-actor-buyer = buyer
console-actor-seller = seller
console-actor-operator = operator
console-actor-system = system
console-actor-platform = Krafto

## Overview
console-to-act-on = To act on
console-shops-waiting = { $n ->
    [one] shop awaiting review
   *[other] shops awaiting review
}
console-listings-waiting = { $n ->
    [one] listing awaiting review
   *[other] listings awaiting review
}
console-verifications-waiting = { $n ->
    [one] verification to check
   *[other] verifications to check
}
console-reports-waiting = { $n ->
    [one] open report
   *[other] open reports
}
console-money = Money
console-gmv = Gross merchandise value (refunds deducted):
console-no-payments = No payments yet.
console-balances = Ledger balances (negative: owed to the account holder)
console-account = Account
console-balance = Balance
console-traffic = Traffic
console-rate-limited = Requests refused for going over the rate limits (24 h):
console-all-orders = All orders

## Audit log
console-audit-empty = Nothing recorded yet.
console-audit-when = When
console-audit-who = Who
console-audit-what = What
console-audit-on = On
console-audit-details = Details
console-audit-older = Older entries

## Categories
console-category-add-title = Add a category
console-category-add = Add
console-category-tree = The tree
console-category-none = No category yet.
console-category-save = Save
console-category-delete = Delete { $name }
console-category-name = Name
console-category-slug = Slug (optional: made from the name)
console-category-parent = Parent
console-category-no-parent = None (top level)
console-category-top-level = Top level
console-category-name-of = Name of { $name }
console-category-slug-of = Slug of { $name }
console-category-parent-of = Parent of { $name }
console-category-no-such-parent = no such category in this marketplace

## Orders
console-orders-filter = Filter
console-orders-none = No order.
console-orders-none-with-status = No order with this status.
console-orders-order = Order
console-orders-status = Status
console-orders-any-status = Any
console-orders-buyer = Buyer
console-orders-total = Total
console-orders-placed = Placed
console-orders-older = Older orders
console-order-title = Order { $number }
console-order-placed-on = placed { $date }
console-order-item = Item
console-order-quantity = Qty
console-order-amount = Amount
console-order-commission = Commission
console-order-commission-rate = { $amount } ({ $bps } bps)
console-order-items = Items
console-order-delivery = Delivery
console-order-buyer-fee = Buyer fee
console-order-total-paid = Total paid
console-order-platform-fee = of which Krafto fee
console-order-seller-payout = Seller payout
console-order-timeline = Timeline
console-order-event = { $at }: { $status } ({ $actor })
console-order-event-reason = { $at }: { $status } ({ $actor }): { $reason }
console-order-cancel = Cancel the order
console-order-cancel-reason = Cancel before shipping (the buyer is refunded and told why)
console-order-refund = Refund the order
console-order-refund-reason = Refund in full after shipping (the buyer is told why)

## Reports
console-reports-open = Open reports
console-reports-none = No open report.
console-report-reported-on = Reported { $date }
console-report-target-listing = listing
console-report-target-shop = shop
console-report-see-listing = see the listing
console-report-see-shop = see the shop
console-report-close = Close the report
console-report-outcome = Outcome
console-report-resolved = Resolved: action was taken
console-report-dismissed = Dismissed: nothing wrong
console-report-note = Note
console-report-choose-outcome = choose resolved or dismissed

## Review queue
console-review-shops = Shops ({ $n })
console-review-no-shop = No shop is waiting.
console-review-waiting-since = waiting since { $date }
console-review-approve = Approve { $name }
console-review-reject = Reject
console-review-reject-reason = Reason for rejecting (sent to the seller)
console-review-listings = Listings ({ $n })
console-review-no-listing = No listing is waiting.
console-review-by = by { $shop }
console-review-in-stock = { $n } in stock
console-review-verifications = Seller verifications ({ $n })
console-review-no-verification = No verification is waiting.
console-review-verification-shop = shop { $shop }
console-review-submitted-on = submitted { $date }
console-review-verify = Verify { $name }
console-business-individual = Individual
console-business-sole-trader = Sole trader
console-business-company = Company
console-business-association = Association

## Settings and branding
console-settings = Settings
console-settings-rules = Catalog rules
console-settings-shop-review = New shops wait for review before opening
console-settings-listing-review = New listings wait for review before going live
console-settings-min-photos = Minimum photos per listing (0–20)
console-settings-min-photos-invalid = must be a whole number between 0 and 20
console-settings-review-time = How long a review usually takes (sellers are told)
console-settings-review-amount = Number of hours or days
console-settings-review-unit = Unit
console-settings-review-hours = hours
console-settings-review-days = days
console-settings-review-invalid = must be a whole number
console-settings-review-unit-invalid = choose hours or days
console-settings-payouts = When sellers are paid
console-settings-payout-timing = Sellers are paid
console-settings-payout-at-payment = as soon as the buyer pays
console-settings-payout-at-shipping = when they ship the order
console-settings-payout-after-delivery = some days after delivery (a hold for disputes)
console-settings-payout-delay = Days after delivery
console-settings-payout-delay-hint = 0 to 60 days; used when sellers are paid after delivery. Your commission is paid with your sellers.
console-settings-payout-delay-invalid = must be a whole number of days
console-settings-payout-timing-invalid = choose when sellers are paid
console-settings-required-fields = Fields every listing must fill in
console-field-category = category
console-field-dimensions = dimensions
console-field-materials = materials
console-field-weight = weight
console-field-tags = tags
console-field-style = style
console-field-processing-time = processing time
console-settings-save-rules = Save the rules
console-fees = Fees
console-fees-commission = Commission on each sale
console-fees-platform = of which Krafto's fee
console-fees-buyer = Service fee paid by buyers
console-fees-note = These are set in your agreement with Krafto; ask Krafto to change them.
console-branding = Branding
console-branding-name = Marketplace name
console-branding-primary = Primary colour (#rrggbb)
console-branding-accent = Accent colour (#rrggbb)
console-branding-logo = Logo URL (https://…, blank for none)
console-branding-tagline = Tagline (blank for none)
console-branding-preview = Preview
console-branding-new = New
console-branding-save = Save the branding
console-category-name-in = Name in { $language }
console-category-name-in-of = Name of { $name } in { $language }

## Commissions (/admin/commissions)
console-nav-commissions = Commissions
console-commission-marketplace = The marketplace’s rate
console-commission-minimum = Minimum order (items’ amount)
console-commission-no-minimum = none
console-commission-overrides = Special rates
console-commission-rule = A sale pays its shop’s rate if the shop has one, else its category’s or the nearest parent category’s that has one, else the marketplace’s rate. The rate is frozen on each order: changing it never changes past sales.
console-commission-none = No special rate: every sale pays the marketplace’s rate.
console-commission-shop = Shop “{ $name }”
console-commission-category = Category “{ $name }”
console-commission-headline = { $target }: { $rate }
console-commission-applied = { $rate } applied, as Krafto’s fee was raised since
console-commission-changed = Changed { $when }
console-commission-changed-by = { $when } by { $who }
console-commission-save = Save
console-commission-remove = Remove the rate of “{ $name }”
console-commission-add-title = Add or change a special rate
console-commission-add = Save the rate
console-commission-applies-to = Applies to
console-commission-choose = Choose a shop or a category
console-commission-rate = Rate (%)
console-commission-rate-hint = From { $fee } (Krafto’s fee, paid out of the commission) to 100 %.
console-commission-rate-of = Rate of “{ $name }” (%)
console-commission-note = Note (seen by operators only, optional)
console-commission-note-of = Note on “{ $name }”
console-done-commission-saved = The rate is saved; it applies to the next sales.
console-done-commission-removed = The special rate is removed; the next sales pay the next rate of the rule.

## Disputes (chargebacks)
console-nav-disputes = Disputes
console-dispute-intro = When a buyer's bank disputes a payment, the bank takes the money back until it decides. Answer before the deadline with what proves the sale: the delivery, the tracking number, your exchanges with the buyer. Refunds of the orders wait meanwhile.
console-dispute-none = No disputes. Good news.
console-dispute-orders = Orders:
console-dispute-reason = Reason given by the bank:
console-dispute-due = Answer before { $date }
console-dispute-withdrawn = The bank took { $amount }, and { $fee } of fees; it is held from the sellers of these orders.
console-dispute-reinstated = { $amount } came back after the decision.
console-dispute-submitted = Evidence sent to the bank on { $date }.
console-dispute-text = Why the payment is legitimate
console-dispute-carrier = Carrier
console-dispute-tracking = Tracking number
console-dispute-shipped-on = Shipped on
console-dispute-product = What was sold
console-dispute-final = Sending to the bank is final: the evidence cannot be changed afterwards. Save to finish later.
console-dispute-save = Save
console-dispute-send = Send to the bank
console-dispute-saved = Evidence saved.
console-dispute-sent = Evidence sent to the bank.
console-dispute-status-warning-needs-response = Inquiry: answer needed
console-dispute-status-warning-under-review = Inquiry: under review
console-dispute-status-warning-closed = Inquiry closed
console-dispute-status-needs-response = Answer needed
console-dispute-status-under-review = Under review by the bank
console-dispute-status-won = Won
console-dispute-status-lost = Lost
console-dispute-status-other = In progress
console-dispute-reason-fraudulent = the cardholder did not authorise the payment
console-dispute-reason-product-not-received = the buyer says they did not receive the order
console-dispute-reason-product-unacceptable = the buyer says the item is defective or not as described
console-dispute-reason-duplicate = the buyer says they were charged twice
console-dispute-reason-credit-not-processed = the buyer says a promised refund never came
console-dispute-reason-subscription-canceled = the buyer says they had cancelled
console-dispute-reason-unrecognized = the buyer does not recognise the payment
console-dispute-reason-general = another reason

## Reconciliation with the payment provider
console-nav-reconciliation = Reconciliation
reconcile-title = Payment reconciliation
reconcile-intro = Every night, yesterday's payments, transfers to sellers, refunds, reversals and disputes are compared with what the payment provider did, and the ledger with our records.
reconcile-none = No reconciliation yet.
reconcile-run = { $day }
reconcile-status-clean = everything matches
reconcile-status-differences = { $n ->
    [one] one difference
   *[other] { $n } differences
}
reconcile-status-failed = the payment provider could not be read
reconcile-ledger-only = Ledger only: in test mode the payment provider keeps no books.
reconcile-kind-payment = the payment
reconcile-kind-transfer = the transfer
reconcile-kind-reversal = the reversal
reconcile-kind-refund = the refund
reconcile-kind-dispute = the dispute
reconcile-what-missing_at_gateway = { $kind } of { $ours } ({ $ref }) is recorded, but the payment provider does not know it.
reconcile-what-unknown_at_gateway = The payment provider reports { $kind } of { $theirs } that we have no record of.
reconcile-what-amount_differs = { $kind } ({ $ref }): { $ours } recorded, { $theirs } at the payment provider.
reconcile-what-currency_differs = { $kind } ({ $ref }) is in another currency at the payment provider.
reconcile-what-journal_unbalanced = A ledger journal does not balance ({ $ours } left over).
reconcile-what-clearing_sale = Order { $ref }: sales in the ledger come to { $ours }, the payment to { $theirs }.
reconcile-what-clearing_transfer = Order { $ref }: transfers in the ledger come to { $ours }, those recorded to { $theirs }.
reconcile-what-clearing_reversal = Order { $ref }: reversals in the ledger come to { $ours }, those recorded to { $theirs }.
reconcile-what-clearing_refund = Order { $ref }: refunds in the ledger come to { $ours }, those recorded to { $theirs }.
reconcile-what-clearing_dispute = Order { $ref }: disputes in the ledger come to { $ours }, those recorded to { $theirs }.
reconcile-what-seller_transfer = { $ref }: transfers in the ledger come to { $ours }, those recorded to { $theirs }.
reconcile-what-seller_reversal = { $ref }: reversals in the ledger come to { $ours }, those recorded to { $theirs }.
