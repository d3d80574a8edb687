# La console de l'opérateur (/admin).

## Mise en page et navigation
console-title = Console de { $name }
console-nav = Console
console-nav-overview = Vue d’ensemble
console-nav-review = À valider
console-nav-reports = Signalements
console-nav-orders = Commandes
console-nav-categories = Catégories
console-nav-settings = Réglages et image de marque
console-nav-audit = Journal d’audit

console-no-such-id = rien ici ne porte l’identifiant { $id }

## Qui a fait quelque chose
console-actor-buyer = acheteur
console-actor-seller = vendeur
console-actor-operator = opérateur
console-actor-system = système
console-actor-platform = Krafto

## Vue d’ensemble
console-to-act-on = À traiter
console-shops-waiting = { $n ->
    [one] boutique en attente de validation
   *[other] boutiques en attente de validation
}
console-listings-waiting = { $n ->
    [one] annonce en attente de validation
   *[other] annonces en attente de validation
}
console-verifications-waiting = { $n ->
    [one] vérification à faire
   *[other] vérifications à faire
}
console-reports-waiting = { $n ->
    [one] signalement ouvert
   *[other] signalements ouverts
}
console-money = Argent
console-gmv = Volume d’affaires (remboursements déduits) :
console-no-payments = Aucun paiement pour l’instant.
console-balances = Soldes du grand livre (négatif : dû au titulaire du compte)
console-account = Compte
console-balance = Solde
console-traffic = Trafic
console-rate-limited = Requêtes refusées pour excès de débit (24 h) :
console-all-orders = Toutes les commandes

## Journal d’audit
console-audit-empty = Rien n’a encore été enregistré.
console-audit-when = Quand
console-audit-who = Qui
console-audit-what = Quoi
console-audit-on = Sur
console-audit-details = Détails
console-audit-older = Entrées plus anciennes

## Catégories
console-category-add-title = Ajouter une catégorie
console-category-add = Ajouter
console-category-tree = L’arborescence
console-category-none = Aucune catégorie pour l’instant.
console-category-save = Enregistrer
console-category-delete = Supprimer { $name }
console-category-name = Nom
console-category-slug = Identifiant d’adresse (facultatif : tiré du nom)
console-category-parent = Catégorie parente
console-category-no-parent = Aucune (premier niveau)
console-category-top-level = Premier niveau
console-category-name-of = Nom de { $name }
console-category-slug-of = Identifiant d’adresse de { $name }
console-category-parent-of = Catégorie parente de { $name }
console-category-no-such-parent = cette catégorie n’existe pas sur cette place de marché

## Commandes
console-orders-filter = Filtrer
console-orders-none = Aucune commande.
console-orders-none-with-status = Aucune commande dans cet état.
console-orders-order = Commande
console-orders-status = État
console-orders-any-status = Tous
console-orders-buyer = Acheteur
console-orders-total = Total
console-orders-placed = Passée le
console-orders-older = Commandes plus anciennes
console-order-title = Commande { $number }
console-order-placed-on = passée le { $date }
console-order-item = Article
console-order-quantity = Qté
console-order-amount = Montant
console-order-commission = Commission
console-order-commission-rate = { $amount } ({ $bps } points de base)
console-order-items = Articles
console-order-delivery = Livraison
console-order-buyer-fee = Frais acheteur
console-order-total-paid = Total payé
console-order-platform-fee = dont frais Krafto
console-order-seller-payout = Versement au vendeur
console-order-timeline = Historique
console-order-event = { $at } : { $status } ({ $actor })
console-order-event-reason = { $at } : { $status } ({ $actor }) : { $reason }
console-order-cancel = Annuler la commande
console-order-cancel-reason = Annuler avant l’expédition (l’acheteur est remboursé et en reçoit la raison)
console-order-refund = Rembourser la commande
console-order-refund-reason = Rembourser entièrement après l’expédition (l’acheteur en reçoit la raison)

## Signalements
console-reports-open = Signalements ouverts
console-reports-none = Aucun signalement ouvert.
console-report-reported-on = Signalé le { $date }
console-report-target-listing = annonce
console-report-target-shop = boutique
console-report-see-listing = voir l’annonce
console-report-see-shop = voir la boutique
console-report-close = Clore le signalement
console-report-outcome = Issue
console-report-resolved = Résolu : des mesures ont été prises
console-report-dismissed = Classé : rien d’anormal
console-report-note = Note
console-report-choose-outcome = choisissez résolu ou classé

## À valider
console-review-shops = Boutiques ({ $n })
console-review-no-shop = Aucune boutique en attente.
console-review-waiting-since = en attente depuis le { $date }
console-review-approve = Valider { $name }
console-review-reject = Refuser
console-review-reject-reason = Raison du refus (envoyée au vendeur)
console-review-listings = Annonces ({ $n })
console-review-no-listing = Aucune annonce en attente.
console-review-by = par { $shop }
console-review-in-stock = { $n } en stock
console-review-verifications = Vérifications des vendeurs ({ $n })
console-review-no-verification = Aucune vérification en attente.
console-review-verification-shop = boutique { $shop }
console-review-submitted-on = envoyée le { $date }
console-review-verify = Vérifier { $name }
console-business-individual = Particulier
console-business-sole-trader = Entrepreneur individuel
console-business-company = Société
console-business-association = Association

## Réglages et image de marque
console-settings = Réglages
console-settings-rules = Règles du catalogue
console-settings-shop-review = Les nouvelles boutiques attendent une validation avant d’ouvrir
console-settings-listing-review = Les nouvelles annonces attendent une validation avant d’être en ligne
console-settings-min-photos = Nombre minimum de photos par annonce (0 à 20)
console-settings-min-photos-invalid = doit être un nombre entier entre 0 et 20
console-settings-review-time = Durée habituelle d’un examen (indiquée aux vendeurs)
console-settings-review-amount = Nombre d’heures ou de jours
console-settings-review-unit = Unité
console-settings-review-hours = heures
console-settings-review-days = jours
console-settings-review-invalid = doit être un nombre entier
console-settings-review-unit-invalid = choisissez heures ou jours
console-settings-payouts = Quand les vendeurs sont payés
console-settings-payout-timing = Les vendeurs sont payés
console-settings-payout-at-payment = dès que l’acheteur paie
console-settings-payout-at-shipping = à l’expédition de la commande
console-settings-payout-after-delivery = quelques jours après la livraison (réserve pour les litiges)
console-settings-payout-delay = Jours après la livraison
console-settings-payout-delay-hint = De 0 à 60 jours ; s’applique quand les vendeurs sont payés après la livraison. Votre commission vous est versée avec celle de vos vendeurs.
console-settings-payout-delay-invalid = doit être un nombre entier de jours
console-settings-payout-timing-invalid = choisissez quand les vendeurs sont payés
console-settings-required-fields = Champs que chaque annonce doit remplir
console-field-category = catégorie
console-field-dimensions = dimensions
console-field-materials = matériaux
console-field-weight = poids
console-field-tags = mots-clés
console-field-style = style
console-field-processing-time = délai de préparation
console-settings-save-rules = Enregistrer les règles
console-fees = Frais
console-fees-commission = Commission sur chaque vente
console-fees-platform = dont frais de Krafto
console-fees-buyer = Frais de service payés par les acheteurs
console-fees-note = Ils sont fixés par votre contrat avec Krafto ; demandez à Krafto pour les modifier.
console-branding = Image de marque
console-branding-name = Nom de la place de marché
console-branding-primary = Couleur principale (#rrvvbb)
console-branding-accent = Couleur d’accent (#rrvvbb)
console-branding-logo = Adresse du logo (https://…, vide pour aucun)
console-branding-tagline = Slogan (vide pour aucun)
console-branding-preview = Aperçu
console-branding-new = Nouveau
console-branding-save = Enregistrer l’image de marque
console-category-name-in = Nom en { $language }
console-category-name-in-of = Nom de { $name } en { $language }

## Commissions (/admin/commissions)
console-nav-commissions = Commissions
console-commission-marketplace = Taux de la place de marché
console-commission-minimum = Commande minimum (montant des articles)
console-commission-no-minimum = aucune
console-commission-overrides = Taux particuliers
console-commission-rule = Une vente paie le taux de sa boutique si elle en a un, sinon celui de sa catégorie ou de la catégorie parente la plus proche qui en a un, sinon le taux de la place de marché. Le taux est figé sur chaque commande : le changer ne modifie jamais les ventes passées.
console-commission-none = Aucun taux particulier : toutes les ventes paient le taux de la place de marché.
console-commission-shop = Boutique « { $name } »
console-commission-category = Catégorie « { $name } »
console-commission-headline = { $target } : { $rate }
console-commission-applied = appliqué : { $rate }, car les frais de Krafto ont augmenté depuis
console-commission-changed = Modifié le { $when }
console-commission-changed-by = { $when } par { $who }
console-commission-save = Enregistrer
console-commission-remove = Retirer le taux de « { $name } »
console-commission-add-title = Ajouter ou changer un taux particulier
console-commission-add = Enregistrer le taux
console-commission-applies-to = S’applique à
console-commission-choose = Choisissez une boutique ou une catégorie
console-commission-rate = Taux (%)
console-commission-rate-hint = De { $fee } (les frais de Krafto, prélevés sur la commission) à 100 %.
console-commission-rate-of = Taux de « { $name } » (%)
console-commission-note = Note (visible des seuls opérateurs, facultative)
console-commission-note-of = Note sur « { $name } »
console-done-commission-saved = Le taux est enregistré ; il s’applique aux prochaines ventes.
console-done-commission-removed = Le taux particulier est retiré ; les prochaines ventes paient le taux suivant de la règle.

## Litiges (contestations de paiement)
console-nav-disputes = Litiges
console-dispute-intro = Quand la banque d’un acheteur conteste un paiement, elle reprend l’argent en attendant sa décision. Répondez avant la date limite avec ce qui prouve la vente : la livraison, le numéro de suivi, vos échanges avec l’acheteur. Les remboursements de ces commandes attendent la décision.
console-dispute-none = Aucun litige. Bonne nouvelle.
console-dispute-orders = Commandes :
console-dispute-reason = Motif donné par la banque :
console-dispute-due = Répondre avant le { $date }
console-dispute-withdrawn = La banque a repris { $amount }, et { $fee } de frais ; la somme est retenue aux vendeurs de ces commandes.
console-dispute-reinstated = { $amount } sont revenus après la décision.
console-dispute-submitted = Preuves envoyées à la banque le { $date }.
console-dispute-text = Pourquoi le paiement est légitime
console-dispute-carrier = Transporteur
console-dispute-tracking = Numéro de suivi
console-dispute-shipped-on = Expédié le
console-dispute-product = Ce qui a été vendu
console-dispute-final = L’envoi à la banque est définitif : les preuves ne pourront plus être modifiées. Enregistrez pour terminer plus tard.
console-dispute-save = Enregistrer
console-dispute-send = Envoyer à la banque
console-dispute-saved = Preuves enregistrées.
console-dispute-sent = Preuves envoyées à la banque.
console-dispute-status-warning-needs-response = Demande de renseignements : réponse attendue
console-dispute-status-warning-under-review = Demande de renseignements : en examen
console-dispute-status-warning-closed = Demande de renseignements close
console-dispute-status-needs-response = Réponse attendue
console-dispute-status-under-review = En examen par la banque
console-dispute-status-won = Gagné
console-dispute-status-lost = Perdu
console-dispute-status-other = En cours
console-dispute-reason-fraudulent = le titulaire de la carte n’a pas autorisé le paiement
console-dispute-reason-product-not-received = l’acheteur dit ne pas avoir reçu la commande
console-dispute-reason-product-unacceptable = l’acheteur dit que l’article est défectueux ou non conforme
console-dispute-reason-duplicate = l’acheteur dit avoir été débité deux fois
console-dispute-reason-credit-not-processed = l’acheteur dit qu’un remboursement promis n’est jamais arrivé
console-dispute-reason-subscription-canceled = l’acheteur dit avoir annulé
console-dispute-reason-unrecognized = l’acheteur ne reconnaît pas le paiement
console-dispute-reason-general = un autre motif

## Rapprochement avec le prestataire de paiement
console-nav-reconciliation = Rapprochement
reconcile-title = Rapprochement des paiements
reconcile-intro = Chaque nuit, les paiements, virements aux vendeurs, remboursements, reprises et litiges de la veille sont comparés à ce que le prestataire de paiement a fait, et le grand livre à nos enregistrements.
reconcile-none = Aucun rapprochement pour l’instant.
reconcile-run = Journée du { $day }
reconcile-status-clean = tout concorde
reconcile-status-differences = { $n ->
    [one] une différence
   *[other] { $n } différences
}
reconcile-status-failed = le prestataire de paiement n’a pas pu être consulté
reconcile-ledger-only = Grand livre seul : en mode test, le prestataire ne tient pas de comptes.
reconcile-kind-payment = le paiement
reconcile-kind-transfer = le virement
reconcile-kind-reversal = la reprise
reconcile-kind-refund = le remboursement
reconcile-kind-dispute = le litige
reconcile-what-missing_at_gateway = { $kind } de { $ours } ({ $ref }) est enregistré, mais le prestataire ne le connaît pas.
reconcile-what-unknown_at_gateway = Le prestataire signale { $kind } de { $theirs } que nous n’avons pas enregistré.
reconcile-what-amount_differs = { $kind } ({ $ref }) : { $ours } enregistrés, { $theirs } chez le prestataire.
reconcile-what-currency_differs = { $kind } ({ $ref }) n’est pas dans la même devise chez le prestataire.
reconcile-what-journal_unbalanced = Une écriture du grand livre ne s’équilibre pas (reste { $ours }).
reconcile-what-clearing_sale = Commande { $ref } : les ventes au grand livre font { $ours }, le paiement { $theirs }.
reconcile-what-clearing_transfer = Commande { $ref } : les virements au grand livre font { $ours }, ceux enregistrés { $theirs }.
reconcile-what-clearing_reversal = Commande { $ref } : les reprises au grand livre font { $ours }, celles enregistrées { $theirs }.
reconcile-what-clearing_refund = Commande { $ref } : les remboursements au grand livre font { $ours }, ceux enregistrés { $theirs }.
reconcile-what-clearing_dispute = Commande { $ref } : les litiges au grand livre font { $ours }, ceux enregistrés { $theirs }.
reconcile-what-seller_transfer = { $ref } : les virements au grand livre font { $ours }, ceux enregistrés { $theirs }.
reconcile-what-seller_reversal = { $ref } : les reprises au grand livre font { $ours }, celles enregistrées { $theirs }.
