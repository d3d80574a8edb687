# La vitrine : accueil, cartes d’annonce.

home-search-label = Que cherchez-vous ?
home-categories = Parcourir par catégorie
home-new = Nouveautés
home-empty = Rien en vente pour l’instant.
home-empty-cta = Ouvrez la première boutique.
home-shops = Boutiques à la une
home-trust = Pourquoi acheter ici
home-trust-makers = Fait par de vraies personnes
home-trust-makers-text = Chaque boutique est tenue par l’artisan qui fabrique ; les vendeurs vérifiés portent un badge.
home-trust-checkout = Un seul paiement sécurisé
home-trust-checkout-text = Payez plusieurs boutiques en une fois ; les paiements passent par Stripe.
home-trust-tracking = Suivez chaque colis
home-trust-tracking-text = Suivez chaque commande de l’atelier jusqu’à chez vous.
home-sell-title = Vous fabriquez ? Vendez ici.
home-sell-text = Ouvrez une boutique sur { $name } en quelques minutes et soyez payé directement sur votre compte bancaire.
home-sell-button = Devenir vendeur
card-verified = ✓ Vérifié
card-verified-title = Vendeur vérifié

## Recherche
search-results-for = Résultats pour « { $q } »
search-all = Tous les articles
search-filters = Filtres
search-category = Catégorie
search-all-categories = Toutes les catégories
search-price = Prix
search-sort = Trier par
search-in-stock = En stock uniquement
search-verified = Vendeurs vérifiés uniquement
search-apply = Appliquer
search-count = { $n ->
    [0] Aucun résultat
    [one] { $n } résultat
   *[other] { $n } résultats
}
search-none = Aucun article ne correspond à cette recherche.
search-try = Essayez plutôt :
search-more = Plus de résultats
search-band-up = { $min } et plus
sort-relevance = Pertinence
sort-newest = Nouveautés
sort-price-asc = Prix croissant
sort-price-desc = Prix décroissant
sort-top-rated = Mieux notés
sort-trending = Tendances
suggest-broader = Chercher dans tout « { $category } »
suggest-without-text = Parcourir sans les mots cherchés
suggest-without-price = Retirer le filtre de prix
suggest-without-rating = Retirer le filtre de note
suggest-without-location = Retirer le filtre de lieu
suggest-without-tags = Retirer le filtre d’étiquettes
suggest-without-style = Retirer le filtre de style
suggest-without-in-stock = Inclure les articles épuisés
suggest-without-verified = Inclure tous les vendeurs
suggest-without-category = Chercher dans toutes les catégories

## Fiche article
listing-photos = Photos
listing-option = Option
listing-sold-out-short = épuisé
listing-quantity = Quantité
listing-add-to-cart = Ajouter au panier
listing-in-stock = { $n ->
    [one] { $n } en stock
   *[other] { $n } en stock
}
listing-sold-out = Épuisé
listing-not-payable = Pas encore disponible à l’achat : le vendeur ne peut pas encore recevoir de paiements.
listing-ships-within = Expédié sous
listing-materials = Matériaux
listing-verified-seller = ✓ Vendeur vérifié
listing-about = À propos de cet article
listing-report = Signaler cette annonce
listing-related = Vous aimerez aussi
shipping-free = gratuit
shipping-per-item = { $price } par article
shipping-base-per-item = { $base } + { $price } par article
days = { $n ->
    [one] { $n } jour
   *[other] { $n } jours
}
days-range = { $min } à { $max } jours

## Boutique
shop-returns = Retours
shop-items = Articles en vente
shop-empty = Rien en vente pour le moment.
shop-report = Signaler cette boutique

## Panier et commandes
cart-title = Votre panier
cart-empty = Votre panier est vide.
cart-empty-cta = Trouvez une création qui vous plaît.
cart-price-was = Prix modifié (avant : { $was })
cart-remove = Retirer
cart-items = Articles
cart-delivery = Livraison
cart-service-fee = Frais de service
cart-total = Total
cart-checkout = Passer commande
cart-blocked = Certains articles ne peuvent pas être achetés tels quels : retirez-les ou changez la quantité pour commander.
cart-not-added = Non ajouté au panier
cart-unreadable-item = Cet article n’a pas pu être lu ; revenez en arrière et réessayez.
cart-issue-unavailable = N’est plus en vente
cart-issue-not-payable = Le vendeur ne peut pas encore recevoir de paiements
cart-issue-sold-out = Épuisé
cart-issue-only-left = { $n ->
    [one] Plus qu’un seul disponible
   *[other] Plus que { $n } disponibles
}
orders-empty = Pas encore de commande.
orders-empty-cta = Commencez vos achats.
order-number = Commande { $number }
order-status = État :
order-tracking = numéro de suivi { $number }
order-from = De
order-total = Total :
order-timeline = Historique
done-title = Merci pour votre commande
done-sent = Une confirmation a été envoyée à { $email }. Chaque boutique prépare son propre colis :

## Commande et paiement
checkout-title = Commande
checkout-step-contact = 1. Contact
checkout-step-address = 2. Adresse de livraison
checkout-step-delivery = 3. Livraison
checkout-step-pay = 4. Vérifier et payer
checkout-total = Total à payer :
checkout-shops = { $n ->
    [one] { $n } boutique, un seul paiement
   *[other] { $n } boutiques, un seul paiement
}
checkout-test-mode = Mode test : la page suivante simule le paiement.
checkout-continue = Continuer vers le paiement
checkout-email = E-mail (pour votre reçu)
checkout-phone = Téléphone (pour la livraison)
checkout-name = Nom complet
checkout-line1 = Adresse
checkout-line2 = Complément d’adresse (facultatif)
checkout-postal-code = Code postal
checkout-city = Ville
checkout-region = Région (facultatif)
pay-title = Paiement
pay-paid = Payé.
pay-see-orders = Voir vos commandes
pay-test-mode = Mode test : choisissez comment la carte simulée se comporte.
pay-test-card = Payer { $total } (carte de test)
pay-decline = Simuler une carte refusée
pay-stripe = Les paiements par carte passent par Stripe.
pay-failed = Le paiement n’a pas abouti. Votre panier est conservé : vous pouvez réessayer.

## Signalements
report-title = Signaler
report-heading = Signaler { $what }
report-a-listing = une annonce
report-a-shop = une boutique
report-intro = Dites à l’équipe de { $name } ce qui ne va pas ; les signalements sont confidentiels. Concerne :
report-send = Envoyer le signalement
report-reason = Motif
report-details = Détails (facultatif)
report-reason-prohibited-item = Ce n’est pas autorisé sur cette place de marché
report-reason-counterfeit = C’est une contrefaçon
report-reason-offensive = C’est choquant
report-reason-misleading = La description est trompeuse
report-reason-intellectual-property = Cela copie le travail de quelqu’un
report-reason-other = Autre chose
report-not-sent = Non envoyé
report-choose-reason = Choisissez un motif pour votre signalement et envoyez-le de nouveau.
report-thanks = Merci
report-sent = Votre signalement est parvenu à l’équipe de la place de marché, qui examine chaque signalement.
search-any-price = Tous les prix
listing-variant-option = { $name } : { $value }
