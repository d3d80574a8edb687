# E-mails, in the marketplace's language.

mail-code-subject = { $code } is your { $name } sign-in code
mail-code-intro = Your sign-in code for { $name } is:
mail-code-expiry = It expires in { $minutes } minutes and works once. If you did not ask for it, ignore this message.
mail-confirm-subject = { $name }: your order is confirmed
mail-confirm-intro = Thank you for your order on { $name }.
mail-confirm-total = Total paid: { $total }
mail-confirm-order = Order { $number } from { $shop }: { $total }
mail-follow = Follow it: { $url }
mail-seller-subject = New order { $number } on { $name }
mail-seller-body = You have a new order, { $number }, of { $total } (you receive { $net } after commission, shipping included).
mail-seller-accept = Accept it in your dashboard: { $url }
mail-status-subject = { $name }: order { $number } — { $status }
mail-status-body = Your order { $number } { $what }.
mail-status-confirmed = was accepted by the seller
mail-status-shipped = has shipped
mail-status-shipped-tracking = has shipped (tracking number { $tracking })
mail-status-out-for-delivery = is out for delivery
mail-status-delivered = was delivered
mail-status-cancelled = was cancelled and will be refunded in full ({ $reason })
mail-status-refunded = was refunded in full ({ $reason })
mail-shop-opened-subject = Your shop { $shop } is open on { $marketplace }
mail-shop-opened-body = Good news: { $marketplace } approved your shop. Buyers can find it now:
    { $shop_url }

    Your listings show as soon as they are published: { $url }
mail-shop-refused-subject = Your shop { $shop } was not approved yet
mail-shop-refused-body = { $marketplace } did not approve your shop yet, for this reason:
    { $reason }

    Change what is asked, then submit your shop again: { $url }
mail-shop-suspended-subject = Your shop { $shop } is suspended
mail-shop-suspended-body = { $marketplace } suspended your shop, for this reason:
    { $reason }

    Buyers cannot see it until it is reinstated. Reply to this e-mail to talk about it.
mail-listing-live-subject = Your listing “{ $title }” is live
mail-listing-live-body = { $marketplace } approved your listing “{ $title }”: buyers can find it in your shop.
    { $shop_url }
mail-listing-refused-subject = Your listing “{ $title }” was not approved
mail-listing-refused-body = { $marketplace } did not approve your listing “{ $title }”, for this reason:
    { $reason }

    Change it, then publish it again: { $url }
mail-verified-subject = { $shop } is verified
mail-verified-body = { $marketplace } verified your identity: your shop shows the “Verified” badge.
    { $shop_url }
mail-verification-refused-subject = Your verification for { $shop } was not accepted
mail-verification-refused-body = { $marketplace } could not verify your identity, for this reason:
    { $reason }

    Send your details again: { $url }

# Refunds
mail-refund-subject = { $name }: refund of { $amount } on order { $number }
mail-refund-buyer = We are refunding { $amount } on your order { $number } ({ $reason }). It reaches your card within 5 to 10 days.
mail-refund-seller = { $amount } of order { $number } is refunded to the buyer ({ $reason }). { $part } comes out of your earnings.
mail-refund-requested-subject = { $name }: a refund is requested on order { $number }
mail-refund-requested-body = The buyer of order { $number } asks for a refund. Accept or decline it, saying why: { $url }
mail-refund-declined-subject = { $name }: your refund request on order { $number }
mail-refund-declined-body = Your refund request on order { $number } was declined: { $reason }. You can contact the marketplace by replying to this e-mail.

# Disputes
mail-dispute-opened-subject = { $name }: a payment of { $amount } is disputed (orders { $orders })
mail-dispute-opened-operator = The buyer's bank disputes the payment of orders { $orders } ({ $amount }). Refunds on these orders are frozen. Send your evidence before the deadline: { $url }
mail-dispute-opened-seller = The buyer's bank disputes the payment of orders { $orders } ({ $amount }). The disputed amount and the bank's fee are held from your earnings until the dispute is decided. The marketplace answers the bank; send it your proof of shipping or delivery by replying to this e-mail.
mail-dispute-won-subject = { $name }: dispute won (orders { $orders })
mail-dispute-won-operator = The dispute on orders { $orders } ({ $amount }) is won: the money is back and the sellers are paid again. { $url }
mail-dispute-won-seller = The dispute on orders { $orders } ({ $amount }) is won: what was held is paid back to you.
mail-dispute-lost-subject = { $name }: dispute lost (orders { $orders })
mail-dispute-lost-operator = The dispute on orders { $orders } ({ $amount }) is lost: the bank keeps the money. { $url }
mail-dispute-lost-seller = The dispute on orders { $orders } ({ $amount }) is lost: the bank gave the money back to the buyer, and it stays deducted from your earnings.
