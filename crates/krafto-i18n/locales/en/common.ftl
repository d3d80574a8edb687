# What every page of a marketplace shares: the header, the footer, the pages the server
# answers by itself (refusals, problems).

## Header and footer
search-label = Search { $name }
search-button = Search
search-hint-handmade = Search handmade goods
search-hint-farm = Search fresh produce
search-hint-b2b = Search products and suppliers
nav-account = Account
nav-cart = Cart
nav-my-shop = Your shop
nav-console = Console
nav-my-orders = My orders
nav-sign-out = Sign out
nav-sign-in = Sign in
skip-to-content = Skip to content
test-mode-banner = Test mode: payments are simulated and nothing is charged.
footer-sell-on = Sell on { $name }
footer-payments = Payments by Stripe
footer-powered = Powered by Krafto
footer-language = Language:
back-to = Back to { $name }

## Pages the server answers by itself
notice-back = Back to the page
notice-refused-title = Action refused
notice-refused-text = This action must come from the site’s own page. Nothing was changed: go back to the page, reload it, and try again.
notice-400-title = Request not understood
notice-400-text = What was sent holds a character or a value the site cannot read. Nothing was changed: go back to the page and try again.
notice-413-title = Too large to send
notice-413-text = What you sent is larger than this page accepts. Nothing was changed: make it lighter (a smaller picture, a shorter file) and try again.
notice-429-title = Too many requests
notice-429-text = Too many requests in a short time.
notice-retry-in = Try again in { $secs } { $secs ->
    [one] second
   *[other] seconds
}.
notice-503-title = Unavailable for a moment
notice-503-text = The site is not answering fast enough right now. Nothing was lost: try again in a moment.
notice-404-title = Page not found
notice-404-text = This page does not exist, or no longer does.
notice-403-title = Not allowed
notice-403-text = This page needs you signed in with an account that may see it.
notice-500-title = Something went wrong
notice-500-text = Nothing was lost: try again in a moment.

## Signing in and accounts
field-email = E-mail
field-code = Code
sign-in-code-sent = We sent a six-digit code to { $email }. It is valid for 10 minutes.
sign-in-intro = No password: we e-mail you a code. Your first sign-in creates your account on { $name }.
sign-in-send-code = Send me a code
sign-in-bad-email = Start again: the e-mail address is not valid.
forbidden-title = Not for this account
forbidden-role = This page is for another kind of account; you are signed in with a { $role } account.
role-buyer = buyer
role-seller = seller
role-operator = operator

## Order and shop states
status-placed = Placed
status-confirmed = Confirmed
status-shipped = Shipped
status-out-for-delivery = Out for delivery
status-delivered = Delivered
status-cancelled = Cancelled
status-refunded = Refunded
status-draft = Draft
status-pending-review = Pending review
status-active = Active
status-suspended = Suspended
language-fr = French
language-en = English
