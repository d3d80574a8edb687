# The buyer's journey: account, address book, pickup, cart, checkout.

## Delivery countries (ISO codes, never shown)
country-AD = Andorra
country-AT = Austria
country-BE = Belgium
country-BG = Bulgaria
country-CH = Switzerland
country-CY = Cyprus
country-CZ = Czechia
country-DE = Germany
country-DK = Denmark
country-EE = Estonia
country-ES = Spain
country-FI = Finland
country-FR = France
country-GB = United Kingdom
country-GR = Greece
country-HR = Croatia
country-HU = Hungary
country-IE = Ireland
country-IS = Iceland
country-IT = Italy
country-LI = Liechtenstein
country-LT = Lithuania
country-LU = Luxembourg
country-LV = Latvia
country-MC = Monaco
country-MT = Malta
country-NL = Netherlands
country-NO = Norway
country-PL = Poland
country-PT = Portugal
country-RO = Romania
country-SE = Sweden
country-SI = Slovenia
country-SK = Slovakia
country-SM = San Marino
country-choose = Choose a country

## Confirmation e-mail
mail-confirm-pickup = To collect at { $address } — { $hours }
mail-confirm-delivery = Delivery: { $option }
mail-confirm-address = Delivery address:

## Header
nav-cart-count = Cart ({ $n })
nav-my-account = My account

## Cart
cart-update = Update
cart-quantity-over-stock = { $n ->
    [one] Only one “{ $title }” is left.
   *[other] Only { $n } of “{ $title }” are left.
}
cart-quantity-invalid = Give a quantity between 1 and 1000.

## Checkout
checkout-summary = Your order
checkout-step-delivery-first = 2. Delivery or pickup
checkout-step-address-second = 3. Delivery address
checkout-country-name = Country
checkout-saved-addresses = Your addresses
checkout-new-address = Another address (below)
checkout-new-address-below = For another address, choose “Another address” and fill in the fields below.
checkout-save-address = Save this address to my account
checkout-address-pickup-note = Not needed if you collect all your orders from the sellers.
checkout-pickup-only = You collect everything from the sellers: no delivery address is needed.
checkout-pickup-option = { $name } — { $cost }, to collect at { $address } ({ $hours })
order-pickup-at = To collect at { $address } — { $hours }
order-ship-to = Delivery address
order-collect = Pickup

## Seller: pickup and orders
sell-pickup-address = Pickup place (collected on site)
sell-pickup-address-hint = Leave empty for a delivery. When filled in, buyers collect their order at this address.
sell-pickup-hours = Pickup hours
sell-pickup-hours-hint = For example: Saturdays 9 am to 12 noon.
order-phone = Phone:

## My account
account-profile = Profile
account-email = E-mail address: { $email }
account-name = Name
account-phone = Phone
account-save-profile = Save the profile
account-profile-saved = Profile saved.
account-addresses = Address book
account-no-address = No saved address.
account-default = Default address
account-edit = Edit
account-make-default = Use by default
account-delete-address = Delete
account-add-address = Add an address
account-use-as-default = Use as my default address
account-save-address = Save the address
account-address-saved = Address saved.
account-address-deleted = Address deleted.
account-address-limit = At most { $n } addresses: delete one before adding another.
account-edit-address = Edit the address
account-back = Back to my account
account-delete-title = Delete my account
account-delete-intro = Your personal data is erased; your orders stay in the sellers' books, without your name or contact details.
account-delete-start = Delete my account…
account-delete-what = Deleting your account:
account-delete-erased = erases your name, e-mail address, phone, addresses and cart;
account-delete-kept = keeps your past orders for the accounts, without your contact details;
account-delete-signed-out = signs you out everywhere. It cannot be undone.
account-delete-type = To confirm, type the e-mail address of this account: { $email }
account-delete-confirm = The account's e-mail address
account-delete-confirm-button = Delete my account for good
account-delete-orders-in-progress = Some of your orders are still on their way: you can delete your account once they are delivered or cancelled.
account-delete-not-buyer = A seller's or an operator's account is closed by the marketplace's team: contact them.
account-deleted-title = Account deleted
account-deleted-text = Your personal data was erased and you are signed out. Thank you for coming by.

## Form problems
problem-fix-fields = Please correct the fields marked below.
problem-required = Required (at most 200 characters).
problem-optional-line = At most 200 characters.
problem-postal-code = Required (at most 20 characters).
problem-email = Give a valid e-mail address, e.g. name@example.com.
problem-phone = Give a phone number (digits, spaces, + - ( ) .).
problem-display-name = At most 120 characters.
problem-country = Choose a country from the list.
problem-confirm-email = Type the e-mail address of this account to confirm.
problem-saved-address = Choose one of your addresses, or another address.
problem-delivery = Choose the delivery again.
checkout-refused-total = The total changed (prices or delivery): check the new total and confirm again.
checkout-refused-minimum = The items do not reach this marketplace's minimum order.
checkout-refused = The order could not be placed; check your cart and try again.
