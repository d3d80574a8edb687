# Refunds on the order pages (buyer, seller, console), the console's refunds page and the
# seller's payouts page.

## The order's money
refund-money = Payment:
refund-money-paid = Paid
refund-money-partly = Partly refunded — { $amount } refunded
refund-money-refunded = Refunded — { $amount } refunded
refund-line-refunded = { $n } refunded

## Who
refund-by-buyer = the buyer
refund-by-seller = the seller
refund-by-operator = the marketplace
refund-by-staff = Krafto support
refund-by-system = the marketplace
refund-made-by = by { $who }

## Refunds made
refund-refunds = Refunds
refund-state-pending = in progress
refund-state-sent = done
refund-state-failed = did not go through
refund-with-shipping = delivery { $amount } included
refund-seller-part = { $amount } taken back from the seller
refund-seller-part-yours = { $amount } taken back from your earnings
refund-split = Taken back from the seller: { $seller } · from the marketplace: { $marketplace } · given back by Krafto: { $platform }

## Requests
refund-requests-yours = Your refund requests
refund-requests-title = Refund requests
refund-request-open = Waiting for an answer
refund-request-accepted = Accepted by { $who }
refund-request-declined = Declined by { $who }: { $reason }
refund-request-withdrawn = Withdrawn
refund-withdraw = Withdraw this request
refund-asked-badge = Refund requested
refund-accept = Accept and refund
refund-decline = Decline
refund-decline-reason = Why you decline (the buyer is told)

## Asking (buyer)
refund-ask-title = Ask for a refund
refund-ask-note = Choose what you want refunded and say what is wrong: the seller answers, and the marketplace can step in.
refund-ask-which = How many of each item
refund-ask-reason = What is wrong?
refund-ask = Ask for a refund
refund-qty-hint = { $bought } bought{ $refunded ->
    [0] {""}
   *[other] , { $refunded } already refunded
}

## Refunding (seller, operator)
refund-seller-title = Refund
refund-seller-note = The buyer gets the amount back on their card; your part comes out of your earnings.
refund-seller-reason = Why you refund (the buyer is told)
refund-operator-title = Refund items
refund-operator-reason = Why (the buyer is told)
refund-which = How many of each item
refund-with-shipping-too = Refund the delivery too ({ $amount })
refund-do = Refund

## Confirmations
refund-done-requested = Your request is sent to the seller. You will get their answer by e-mail and on this page.
refund-done-withdrawn = Your request is withdrawn.
refund-done-refunded = The refund is made; the buyer is told by e-mail.
refund-done-accepted = The request is accepted and the refund made; the buyer is told by e-mail.
refund-done-declined = The request is declined; the buyer gets your reason by e-mail.

## Timeline
refund-event-refund = Refund of { $amount }
refund-event-requested = Refund request
refund-event-declined = Refund request declined
refund-event-declined-why = Request declined: { $reason }

## The console's refunds page
refund-nav = Refunds
refund-requests-waiting = { $n ->
    [one] refund request waiting for an answer
   *[other] refund requests waiting for an answer
}
refund-open-title = Requests waiting for an answer
refund-open-none = No request is waiting.
refund-col-order = Order
refund-col-shop = Shop
refund-col-items = Items
refund-col-reason = The buyer’s reason
refund-col-waiting = Waiting
refund-age = { $days ->
    [0] since today
    [1] since yesterday
   *[other] for { $days } days
}
refund-debts-title = Money owed back
refund-debts-note = When a refund cannot be taken back from an account that was already paid, the amount is owed and taken from that account’s next transfers.
refund-debts-none = Nobody owes anything.
refund-col-who = Who owes
refund-col-owed = Owed
refund-col-recovered = Recovered
refund-col-left = Left
refund-col-why = Why
refund-col-since = Since
refund-col-state = State
refund-debtor-marketplace = The marketplace
refund-debt-refund = refund
refund-debt-dispute = dispute
refund-debt-open = being recovered
refund-debt-settled = settled on { $date }

## The seller's payouts page
refund-payout-title = Refunds and money owed
refund-payout-negative = Your pending balance is below zero ({ $amount }): refunds took back more than was still due to you. The difference comes out of your next transfers.
refund-cause-refund = a refund
refund-cause-refund-order = a refund on order { $number }
refund-cause-dispute = a dispute
refund-cause-dispute-order = a dispute on order { $number }
refund-payout-owed = You owe { $amount } after { $cause }; it will be taken from your next transfer.
refund-payout-owed-partly = You still owe { $amount } after { $cause } ({ $recovered } already taken from your transfers); the rest will be taken from your next transfer.
refund-payout-recovered = { $amount } owed after { $cause } was taken from your transfers (settled on { $date }).
refund-payout-reversed = { $amount } was taken back from transfers already sent to you, after refunds.
refund-payout-refund = Order { $number }, { $date }: { $amount } refunded to the buyer by { $who } ({ $reason }); { $part } taken back from your earnings — { $state }.
