# Les remboursements sur les pages de commande (acheteur, vendeur, console), la page des
# remboursements de la console et la page des versements du vendeur.

## L’argent de la commande
refund-money = Paiement :
refund-money-paid = Payée
refund-money-partly = Remboursée en partie — { $amount } remboursés
refund-money-refunded = Remboursée — { $amount } remboursés
refund-line-refunded = { $n ->
    [one] { $n } remboursé
   *[other] { $n } remboursés
}

## Qui
refund-by-buyer = l’acheteur
refund-by-seller = le vendeur
refund-by-operator = la place de marché
refund-by-staff = le support Krafto
refund-by-system = la place de marché
refund-made-by = par { $who }

## Les remboursements
refund-refunds = Remboursements
refund-state-pending = en cours
refund-state-sent = effectué
refund-state-failed = n’a pas abouti
refund-with-shipping = livraison de { $amount } comprise
refund-seller-part = { $amount } repris au vendeur
refund-seller-part-yours = { $amount } repris sur vos gains
refund-split = Repris au vendeur : { $seller } · à la place de marché : { $marketplace } · rendu par Krafto : { $platform }

## Les demandes
refund-requests-yours = Vos demandes de remboursement
refund-requests-title = Demandes de remboursement
refund-request-open = En attente de réponse
refund-request-accepted = Acceptée par { $who }
refund-request-declined = Refusée par { $who } : { $reason }
refund-request-withdrawn = Retirée
refund-withdraw = Retirer cette demande
refund-asked-badge = Remboursement demandé
refund-accept = Accepter et rembourser
refund-decline = Refuser
refund-decline-reason = Pourquoi vous refusez (l’acheteur en est informé)

## Demander (acheteur)
refund-ask-title = Demander un remboursement
refund-ask-note = Choisissez ce que vous voulez faire rembourser et dites ce qui ne va pas : le vendeur vous répond, et la place de marché peut intervenir.
refund-ask-which = Combien de chaque article
refund-ask-reason = Qu’est-ce qui ne va pas ?
refund-ask = Demander un remboursement
refund-qty-hint = { $bought ->
    [one] 1 acheté
   *[other] { $bought } achetés
}{ $refunded ->
    [0] {""}
    [1] , 1 déjà remboursé
   *[other] , { $refunded } déjà remboursés
}

## Rembourser (vendeur, opérateur)
refund-seller-title = Rembourser
refund-seller-note = L’acheteur est remboursé sur sa carte ; votre part est reprise sur vos gains.
refund-seller-reason = Pourquoi vous remboursez (l’acheteur en est informé)
refund-operator-title = Rembourser des articles
refund-operator-reason = Pourquoi (l’acheteur en est informé)
refund-which = Combien de chaque article
refund-with-shipping-too = Rembourser aussi la livraison ({ $amount })
refund-do = Rembourser

## Confirmations
refund-done-requested = Votre demande est envoyée au vendeur. Vous recevrez sa réponse par e-mail et sur cette page.
refund-done-withdrawn = Votre demande est retirée.
refund-done-refunded = Le remboursement est fait ; l’acheteur est prévenu par e-mail.
refund-done-accepted = La demande est acceptée et le remboursement fait ; l’acheteur est prévenu par e-mail.
refund-done-declined = La demande est refusée ; l’acheteur reçoit votre motif par e-mail.

## Historique
refund-event-refund = Remboursement de { $amount }
refund-event-requested = Demande de remboursement
refund-event-declined = Demande de remboursement refusée
refund-event-declined-why = Demande refusée : { $reason }

## La page des remboursements de la console
refund-nav = Remboursements
refund-requests-waiting = { $n ->
    [one] demande de remboursement en attente de réponse
   *[other] demandes de remboursement en attente de réponse
}
refund-open-title = Demandes en attente de réponse
refund-open-none = Aucune demande en attente.
refund-col-order = Commande
refund-col-shop = Boutique
refund-col-items = Articles
refund-col-reason = Motif de l’acheteur
refund-col-waiting = Attente
refund-age = { $days ->
    [0] depuis aujourd’hui
    [1] depuis hier
   *[other] depuis { $days } jours
}
refund-debts-title = Sommes dues
refund-debts-note = Quand un remboursement ne peut pas être repris sur un compte déjà payé, la somme est due et retenue sur les prochains virements de ce compte.
refund-debts-none = Personne ne doit rien.
refund-col-who = Qui doit
refund-col-owed = Dû
refund-col-recovered = Déjà repris
refund-col-left = Reste
refund-col-why = Pourquoi
refund-col-since = Depuis le
refund-col-state = État
refund-debtor-marketplace = La place de marché
refund-debt-refund = remboursement
refund-debt-dispute = litige
refund-debt-open = en cours de recouvrement
refund-debt-settled = réglée le { $date }

## La page des versements du vendeur
refund-payout-title = Remboursements et sommes dues
refund-payout-negative = Votre solde en attente est négatif ({ $amount }) : des remboursements ont repris plus que ce qui vous restait dû. La différence sera déduite de vos prochains virements.
refund-cause-refund = d’un remboursement
refund-cause-refund-order = d’un remboursement sur la commande { $number }
refund-cause-dispute = d’un litige
refund-cause-dispute-order = d’un litige sur la commande { $number }
refund-payout-owed = Vous devez { $amount } à la suite { $cause } ; cette somme sera déduite de votre prochain virement.
refund-payout-owed-partly = Vous devez encore { $amount } à la suite { $cause } ({ $recovered } déjà déduits de vos virements) ; le reste sera déduit de votre prochain virement.
refund-payout-recovered = { $amount } dus à la suite { $cause } ont été déduits de vos virements (réglé le { $date }).
refund-payout-reversed = { $amount } ont été repris sur des virements déjà envoyés, à la suite de remboursements.
refund-payout-refund = Commande { $number }, { $date } : { $amount } remboursés à l’acheteur par { $who } ({ $reason }) ; { $part } repris sur vos gains — { $state }.
