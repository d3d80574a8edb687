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
