# Ce que toutes les pages d’une place de marché partagent : l’en-tête, le pied de page, les
# pages que le serveur répond lui-même (refus, problèmes).

## En-tête et pied de page
search-label = Rechercher sur { $name }
search-button = Rechercher
search-hint-handmade = Rechercher des créations artisanales
search-hint-farm = Rechercher des produits frais
search-hint-b2b = Rechercher produits et fournisseurs
nav-account = Compte
nav-cart = Panier
nav-my-shop = Ma boutique
nav-console = Console
nav-my-orders = Mes commandes
nav-sign-out = Se déconnecter
nav-sign-in = Se connecter
skip-to-content = Aller au contenu
test-mode-banner = Mode test : les paiements sont simulés et rien n’est débité.
footer-sell-on = Vendre sur { $name }
footer-payments = Paiements par Stripe
footer-powered = Propulsé par Krafto
footer-language = Langue :
back-to = Retour à { $name }

## Pages répondues par le serveur lui-même
notice-back = Revenir à la page
notice-refused-title = Action refusée
notice-refused-text = Cette action doit venir de la page du site. Rien n’a été modifié : revenez à la page, rechargez-la, puis recommencez.
notice-400-title = Demande illisible
notice-400-text = Ce qui a été envoyé contient un caractère ou une valeur que le site ne sait pas lire. Rien n’a été modifié : revenez à la page et réessayez.
notice-413-title = Envoi trop volumineux
notice-413-text = Ce que vous avez envoyé dépasse la taille acceptée. Rien n’a été modifié : allégez-le (une image plus légère, un fichier plus court) et réessayez.
notice-429-title = Trop de demandes
notice-429-text = Trop de demandes en peu de temps.
notice-retry-in = Réessayez dans { $secs } { $secs ->
    [one] seconde
   *[other] secondes
}.
notice-503-title = Indisponible pour un instant
notice-503-text = Le site ne répond pas assez vite en ce moment. Rien n’a été perdu : réessayez dans un instant.
notice-404-title = Page introuvable
notice-404-text = Cette page n’existe pas, ou plus.
notice-403-title = Accès refusé
notice-403-text = Cette page demande d’être connecté avec un compte qui y a accès.
notice-500-title = Une erreur est survenue
notice-500-text = Rien n’a été perdu : réessayez dans un instant.

## Connexion et comptes
field-email = Adresse e-mail
field-code = Code
sign-in-code-sent = Nous avons envoyé un code à six chiffres à { $email }. Il est valable 10 minutes.
sign-in-intro = Pas de mot de passe : nous vous envoyons un code par e-mail. Votre première connexion crée votre compte sur { $name }.
sign-in-send-code = Recevoir un code
sign-in-bad-email = Recommencez : l’adresse e-mail n’est pas valide.
forbidden-title = Pas pour ce compte
forbidden-role = Cette page est réservée à un autre type de compte ; vous êtes connecté avec un compte { $role }.
role-buyer = acheteur
role-seller = vendeur
role-operator = opérateur

## États des commandes et des boutiques
status-placed = Passée
status-confirmed = Confirmée
status-shipped = Expédiée
status-out-for-delivery = En cours de livraison
status-delivered = Livrée
status-cancelled = Annulée
status-refunded = Remboursée
status-draft = Brouillon
status-pending-review = En attente de validation
status-active = Active
status-suspended = Suspendue
language-fr = français
language-en = anglais
