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
