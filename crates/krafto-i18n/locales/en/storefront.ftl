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
