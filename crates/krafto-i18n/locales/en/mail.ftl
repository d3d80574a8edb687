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
