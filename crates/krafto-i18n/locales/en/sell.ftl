# The seller's pages (/sell).
sell-tab-overview = Overview
sell-tab-listings = Listings
sell-tab-orders = Orders
sell-tab-payouts = Payouts
sell-tab-shop = Shop settings
sell-shop-status = Shop status:
sell-see-shop = See your shop as buyers do
sell-wizard-title = Get ready to sell: { $done } of { $total } steps done
sell-step-done = Done
sell-step-next = Next
sell-step-todo = To do
sell-ready = Your shop is open and buyers can buy your listings.
sell-submit-text = Your profile is complete. Submit your shop so that { $name } can open it to buyers.
sell-submit = Submit my shop
sell-latest-orders = Latest orders
sell-col-order = Order
sell-col-date = Date
sell-col-status = Status
sell-col-total = Total
sell-all-orders = All orders
sell-add-listing = Add a listing
sell-import = Import listings from CSV
sell-open-intro = Open your shop, tell buyers your story, list what you make and get paid through Stripe. It takes four steps: your shop profile, a verification of who you are, your bank account for payouts, and your first listing. Your progress is saved as you go.
sell-open = Open my shop
sell-sign-in-first = Sign in or create an account to start
sell-shop-name = Shop name
sell-step-profile = Shop profile
sell-step-verification = Verification
sell-step-payouts = Payouts
sell-step-first-listing = First listing
sell-step-profile-complete = complete
sell-step-profile-missing = missing: { $missing }
sell-gap-story = story
sell-gap-location = location
sell-gap-profile-image-url = a logo
sell-step-verification-approved = approved
sell-step-verification-submitted = submitted, waiting for the marketplace's review (usually within { $time })
sell-step-verification-rejected = rejected: { $reason }; submit again
sell-step-verification-todo = submit your legal name, business type, address and documents
sell-step-payouts-ready = payments and payouts enabled
sell-step-payouts-checking = Stripe is checking your details
sell-step-payouts-needs = Stripe still needs: { $needs }
sell-step-payouts-todo = connect a bank account through Stripe to get paid
sell-step-listing-live = { $n ->
    [one] { $n } listing(s) live
   *[other] { $n } listing(s) live
}
sell-step-listing-pending = { $n ->
    [one] { $n } listing waiting for review, usually within { $time }
   *[other] { $n } listings waiting for review, usually within { $time }
}
sell-step-listing-todo = publish your first listing
sell-not-done = That did not work
sell-flash-opened = Your shop is open. Follow the steps below to start selling.
sell-flash-submitted = Your shop was submitted.
sell-flash-saved = Saved.
sell-flash-verification = Thank you: your details were sent for verification.
sell-flash-payouts = Welcome back from Stripe. Your payout status is below.
sell-flash-deleted = The listing was deleted.
sell-flash-imported = Imported rows are saved as drafts.
sell-flash-published-review = Published: the listing is waiting for the marketplace's review, usually within { $time }.
sell-flash-published = Published: the listing is live.
sell-filter-all = All
sell-filter-drafts = Drafts
sell-filter-in-review = In review
sell-filter-live = Live
sell-filter-out-of-stock = Out of stock
sell-filter-rejected = Rejected
sell-filter-archived = Archived
sell-filter-to-accept = To accept
sell-filter-to-ship = To ship
sell-filter-by-status = Filter by status
sell-no-listings = No listings here yet.
sell-view = View
sell-more-listings = More listings
sell-no-orders = No orders here.
sell-col-buyer = Buyer
sell-more-orders = More orders
sell-shop-address = Your shop's address:
sell-shop-profile = Profile
sell-delivery-options = Delivery options
sell-save = Save
sell-region = Region
sell-profile-image = Profile image (URL)
sell-banner = Banner image (URL)
sell-processing-from = Processing time: from (days)
sell-processing-to = Processing time: to (days)
sell-languages = Languages (comma-separated, e.g. fr, en)
sell-story = Your story: who you are and how you make things
sell-returns = Returns policy
sell-delivery-name = Name
sell-delivery-base = Base price
sell-delivery-per-item = Per item
sell-delivery-days-from = Days from
sell-delivery-days-to = Days to
sell-delivery-intro = Buyers choose one of these at checkout. The cost is the base price plus the per-item price for each unit. Leave a name empty to remove a row.
sell-delivery-option = Option { $n }
sell-delivery-save = Save delivery options
sell-choose = Choose…
sell-business-type = Business type
sell-business-individual = Individual
sell-business-sole-trader = Sole trader
sell-business-company = Company
sell-business-association = Association
sell-legal-name = Legal name
sell-documents = Document references (one per line: ID card number, registration number…)
sell-verification-intro = { $name } checks who is behind each shop. Verified shops show a badge to buyers.
sell-verification-last = Your last request:
sell-verification-send = Send for verification
sell-verification-submitted = submitted, waiting for review (usually within { $time })
sell-verification-approved = approved
sell-verification-rejected = rejected
sell-payouts-ready = Payments and payouts are enabled: buyers can pay you and Stripe pays you out.
sell-payouts-needs = Stripe still needs a few details before buyers can pay you.
sell-payouts-connect = Connect a bank account through Stripe so buyers can pay you.
sell-payouts-continue = Continue with Stripe
sell-payouts-setup = Set up payouts with Stripe
sell-payouts-test-mode = Test mode: a test page stands in for Stripe.
sell-balance = Balance
sell-earned = Earned
sell-commission-negotiated = Commission: { $rate } (negotiated rate)
sell-commission-marketplace = Commission: { $rate } (the marketplace’s rate)
sell-commission-categories = Except in these categories:
sell-commission-category = { $name }: { $rate }
sell-commission-frozen = Each order keeps the rate of the day it was sold.
sell-paid-out = Paid out
sell-pending = Pending
sell-held = Of which held by the marketplace
sell-held-title = Paid later
sell-held-note = This marketplace pays its sellers when they ship, or some days after delivery: until then the money is kept for you.
sell-held-shipping = { $amount } for order { $order }: paid when you ship it
sell-held-delivery = { $days ->
    [0] { $amount } for order { $order }: paid when it is delivered
    [one] { $amount } for order { $order }: paid { $days } day after it is delivered
   *[other] { $amount } for order { $order }: paid { $days } days after it is delivered
}
sell-held-due = { $amount } for order { $order }: paid on { $date }
sell-per-order = What each order paid you
sell-col-fee = Marketplace fee
sell-col-platform-share = of which platform share
sell-col-payout = Your payout
sell-import-paste = Or paste the CSV
sell-import-summary = { $imported } imported as drafts, { $rejected } rejected.
sell-import-line = Line
sell-import-result = Result
sell-import-details = Details
sell-import-ok = Imported
sell-import-rejected = Rejected
sell-import-edit = Edit the draft
sell-import-drafts = See your drafts
sell-import-more = Import more
sell-import-columns = The first line names the columns:
sell-import-rules = Tags, materials and photos are separated by “|”. Each valid line becomes a draft; you get a report for every line.
sell-import-file = Choose a file
sell-import-button = Import
sell-choose-category = Choose a category…
sell-listing-title = Title
sell-listing-price = Price ({ $currency })
sell-listing-quantity = Quantity in stock
sell-listing-description = Description
sell-photo-url = Photo { $n } URL
sell-photo-alt = Photo { $n } description (alt text)
sell-variant-options = Variant { $n }: options (e.g. Colour=Blue; Size=M)
sell-variant-sku = SKU
sell-variant-price = Price (if different)
sell-listing-tags = Tags (comma-separated)
sell-listing-materials = Materials (comma-separated)
sell-listing-processing = Processing time (days)
sell-listing-weight = Weight (g)
sell-listing-length = Length (mm)
sell-listing-width = Width (mm)
sell-listing-height = Height (mm)
sell-listing-style = Style
sell-saved-not-published = Saved as a draft, but not published
sell-not-published = Not published
sell-edit-listing = Edit listing
sell-new-listing = New listing
sell-listing-needs = Before it can be published, this listing needs:
sell-essentials = The essentials
sell-photos-note = Paste the address of each photo and describe it for buyers who cannot see it.
sell-variants-summary = Variants (optional): sizes, colours…
sell-variants = Variants
sell-variants-note = Each variant has its own stock, and its own price when it differs.
sell-save-draft = Save draft
sell-save-publish = Save and publish
sell-restore = Restore as draft
sell-archive = Archive
sell-delete = Delete
listing-status-new = new
listing-status-draft = draft
listing-status-pending-review = pending review
listing-status-active = active
listing-status-out-of-stock = out of stock
listing-status-rejected = rejected
listing-status-archived = archived
sell-lead-with-summary = { $lead }: { $summary }
sell-tracking-field = Tracking number (optional)
sell-cancel-reason = Reason for cancelling (the buyer sees it; they are refunded)
sell-accept = Accept the order
sell-ship = Mark as shipped
sell-deliver = Mark as delivered
sell-cancel = Cancel the order
sell-ship-to = Ship to
sell-items-and-fees = Items and fees
sell-col-item = Item
sell-col-qty = Qty
sell-col-amount = Amount
sell-col-net = You receive
sell-platform-share-of = of which { $amount } platform share
sell-shipping-yours = Shipping (yours)
sell-buyer-paid = Buyer paid
sell-actor-buyer = buyer
sell-actor-seller = seller
sell-actor-operator = marketplace
sell-actor-system = automatic
sell-actor-staff = support
sell-actor-platform = platform support
sell-profile-incomplete = Your shop profile is not complete yet
sell-step-delivery = Delivery options
sell-step-delivery-done = { $n ->
    [one] one delivery option
   *[other] { $n } delivery options
}
sell-step-delivery-todo = say how buyers get their orders (shipping or pickup): without it nobody can buy
sell-step-go-live = Open your shop
sell-step-live-open = open: buyers can find your shop and buy
sell-step-live-waiting = submitted: { $marketplace } reviews new shops, usually within { $time }; you get an e-mail when it is decided
sell-step-live-suspended = suspended: { $reason }
sell-step-live-submit-review = submit your shop: the marketplace reviews it before buyers can see it, usually within { $time }
sell-step-live-submit = publish your shop: buyers see it as soon as it is open
sell-step-listing-ready = { $n ->
    [one] one listing ready: buyers see it once your shop is open
   *[other] { $n } listings ready: buyers see them once your shop is open
}
review-time-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
review-time-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
