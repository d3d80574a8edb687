# The storefront: home, listing cards.

home-search-label = What are you looking for?
home-categories = Browse by category
home-new = New in the marketplace
home-empty = Nothing on sale yet.
home-empty-cta = Be the first to open a shop.
home-shops = Featured shops
home-trust = Why buy here
home-trust-makers = Made by real people
home-trust-makers-text = Every shop is run by the artisan who makes the goods; verified sellers carry a badge.
home-trust-checkout = One secure checkout
home-trust-checkout-text = Pay several shops at once; payments are handled by Stripe.
home-trust-tracking = Track every parcel
home-trust-tracking-text = Follow each order from the workshop to your door.
home-sell-title = Make things? Sell them here.
home-sell-text = Open a shop on { $name } in minutes and get paid straight to your bank account.
home-sell-button = Become a seller
card-verified = ✓ Verified
card-verified-title = Verified seller

## Search
search-results-for = Results for “{ $q }”
search-all = All items
search-filters = Filters
search-category = Category
search-all-categories = All categories
search-price = Price
search-sort = Sort by
search-in-stock = In stock only
search-verified = Verified sellers only
search-apply = Apply
search-count = { $n ->
    [0] No results
    [one] { $n } result
   *[other] { $n } results
}
search-none = Nothing matches this search.
search-try = Try instead:
search-more = More results
search-band-up = { $min } and up
sort-relevance = Best match
sort-newest = Newest
sort-price-asc = Price: low to high
sort-price-desc = Price: high to low
sort-top-rated = Top rated
sort-trending = Trending
suggest-broader = Search all of { $category }
suggest-without-text = Browse without the search words
suggest-without-price = Remove the price filter
suggest-without-rating = Remove the rating filter
suggest-without-location = Remove the location filter
suggest-without-tags = Remove the tags filter
suggest-without-style = Remove the style filter
suggest-without-in-stock = Include sold-out items
suggest-without-verified = Include every seller
suggest-without-category = Search every category

## Listing page
listing-photos = Photos
listing-option = Option
listing-sold-out-short = sold out
listing-quantity = Quantity
listing-add-to-cart = Add to cart
listing-in-stock = { $n ->
    [one] { $n } in stock
   *[other] { $n } in stock
}
listing-sold-out = Sold out
listing-not-payable = Not available to buy right now: the seller cannot take payments yet.
listing-ships-within = Ships within
listing-materials = Materials
listing-verified-seller = ✓ Verified seller
listing-about = About this item
listing-report = Report this listing
listing-related = You may also like
shipping-free = free
shipping-per-item = { $price } per item
shipping-base-per-item = { $base } + { $price } per item
days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
days-range = { $min }–{ $max } days

## Shop
shop-returns = Returns
shop-items = Items for sale
shop-empty = Nothing for sale right now.
shop-report = Report this shop

## Cart and orders
cart-title = Your cart
cart-empty = Your cart is empty.
cart-empty-cta = Find something handmade.
cart-price-was = Price changed (was { $was })
cart-remove = Remove
cart-items = Items
cart-delivery = Delivery
cart-service-fee = Service fee
cart-total = Total
cart-checkout = Check out
cart-blocked = Some items cannot be bought as they are: remove them or change the quantity to check out.
cart-not-added = Not added to your cart
cart-unreadable-item = That item could not be read; go back and try again.
cart-issue-unavailable = No longer on sale
cart-issue-not-payable = The seller cannot take payments yet
cart-issue-sold-out = Sold out
cart-issue-only-left = { $n ->
    [one] Only { $n } left
   *[other] Only { $n } left
}
orders-empty = No orders yet.
orders-empty-cta = Start shopping.
order-number = Order { $number }
order-status = Status:
order-tracking = tracking number { $number }
order-from = From
order-total = Total:
order-timeline = Timeline
done-title = Thank you for your order
done-sent = A confirmation was sent to { $email }. Each shop prepares its own parcel:

## Checkout and payment
checkout-title = Checkout
checkout-step-contact = 1. Contact
checkout-step-address = 2. Delivery address
checkout-step-delivery = 3. Delivery
checkout-step-pay = 4. Review and pay
checkout-total = Total to pay:
checkout-shops = { $n ->
    [one] { $n } shop, one payment
   *[other] { $n } shops, one payment
}
checkout-test-mode = Test mode: the next page simulates the payment.
checkout-continue = Continue to payment
checkout-email = E-mail (for your receipt)
checkout-phone = Phone (for the delivery)
checkout-name = Full name
checkout-line1 = Address
checkout-line2 = Address line 2 (optional)
checkout-postal-code = Postal code
checkout-city = City
checkout-region = Region (optional)
pay-title = Payment
pay-paid = Paid.
pay-see-orders = See your orders
pay-test-mode = Test mode: choose how the simulated card behaves.
pay-test-card = Pay { $total } (test card)
pay-decline = Simulate a declined card
pay-stripe = Card payments are handled by Stripe.
pay-failed = The payment did not go through. Your cart is kept: you can try again.

## Reports
report-title = Report
report-heading = Report { $what }
report-a-listing = a listing
report-a-shop = a shop
report-intro = Tell the { $name } team what is wrong; reports are private. About:
report-send = Send report
report-reason = Reason
report-details = Details (optional)
report-reason-prohibited-item = It is not allowed on this marketplace
report-reason-counterfeit = It is counterfeit
report-reason-offensive = It is offensive
report-reason-misleading = The description is misleading
report-reason-intellectual-property = It copies someone's work
report-reason-other = Something else
report-not-sent = Not sent
report-choose-reason = Choose a reason for your report and send it again.
report-thanks = Thank you
report-sent = Your report reached the marketplace's team. They review every report.
search-any-price = Any price
listing-variant-option = { $name }: { $value }
