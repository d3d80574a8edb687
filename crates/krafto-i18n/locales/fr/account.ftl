# Le parcours de l’acheteur : compte, carnet d’adresses, retrait, panier, paiement.

## Pays de livraison (codes ISO, jamais affichés)
country-AD = Andorre
country-AT = Autriche
country-BE = Belgique
country-BG = Bulgarie
country-CH = Suisse
country-CY = Chypre
country-CZ = Tchéquie
country-DE = Allemagne
country-DK = Danemark
country-EE = Estonie
country-ES = Espagne
country-FI = Finlande
country-FR = France
country-GB = Royaume-Uni
country-GR = Grèce
country-HR = Croatie
country-HU = Hongrie
country-IE = Irlande
country-IS = Islande
country-IT = Italie
country-LI = Liechtenstein
country-LT = Lituanie
country-LU = Luxembourg
country-LV = Lettonie
country-MC = Monaco
country-MT = Malte
country-NL = Pays-Bas
country-NO = Norvège
country-PL = Pologne
country-PT = Portugal
country-RO = Roumanie
country-SE = Suède
country-SI = Slovénie
country-SK = Slovaquie
country-SM = Saint-Marin
country-choose = Choisissez un pays

## E-mail de confirmation
mail-confirm-pickup = À retirer à { $address } — { $hours }
mail-confirm-delivery = Livraison : { $option }
mail-confirm-address = Adresse de livraison :

## En-tête
nav-cart-count = Panier ({ $n })
nav-my-account = Mon compte

## Panier
cart-update = Mettre à jour
cart-quantity-over-stock = { $n ->
    [one] Il ne reste qu’un exemplaire de « { $title } ».
   *[other] Il ne reste que { $n } exemplaires de « { $title } ».
}
cart-quantity-invalid = Indiquez une quantité entre 1 et 1000.

## Commande
checkout-summary = Votre commande
checkout-step-delivery-first = 2. Livraison ou retrait
checkout-step-address-second = 3. Adresse de livraison
checkout-country-name = Pays
checkout-saved-addresses = Vos adresses
checkout-new-address = Une autre adresse (ci-dessous)
checkout-new-address-below = Pour une autre adresse, choisissez « Une autre adresse » et remplissez les champs ci-dessous.
checkout-save-address = Enregistrer cette adresse dans mon compte
checkout-address-pickup-note = Inutile si vous retirez toutes vos commandes chez les vendeurs.
checkout-pickup-only = Vous retirez tout chez les vendeurs : aucune adresse de livraison n’est nécessaire.
checkout-pickup-option = { $name } — { $cost }, à retirer à { $address } ({ $hours })
order-pickup-at = À retirer à { $address } — { $hours }
order-ship-to = Adresse de livraison
order-collect = Retrait

## Vendeur : retrait et commande
sell-pickup-address = Lieu de retrait (retrait sur place)
sell-pickup-address-hint = Laissez vide pour une livraison. Rempli, les acheteurs viennent chercher leur commande à cette adresse.
sell-pickup-hours = Horaires de retrait
sell-pickup-hours-hint = Par exemple : le samedi de 9 h à 12 h.
order-phone = Téléphone :

## Mon compte
account-profile = Profil
account-email = Adresse e-mail : { $email }
account-name = Nom
account-phone = Téléphone
account-save-profile = Enregistrer le profil
account-profile-saved = Profil enregistré.
account-addresses = Carnet d’adresses
account-no-address = Aucune adresse enregistrée.
account-default = Adresse par défaut
account-edit = Modifier
account-make-default = Utiliser par défaut
account-delete-address = Supprimer
account-add-address = Ajouter une adresse
account-use-as-default = Utiliser comme adresse par défaut
account-save-address = Enregistrer l’adresse
account-address-saved = Adresse enregistrée.
account-address-deleted = Adresse supprimée.
account-address-limit = { $n } adresses au plus : supprimez-en une avant d’en ajouter.
account-edit-address = Modifier l’adresse
account-back = Retour à mon compte
account-delete-title = Supprimer mon compte
account-delete-intro = Vos données personnelles sont effacées ; vos commandes restent dans la comptabilité des vendeurs, sans votre nom ni vos coordonnées.
account-delete-start = Supprimer mon compte…
account-delete-what = Supprimer votre compte :
account-delete-erased = efface votre nom, votre adresse e-mail, votre téléphone, vos adresses et votre panier ;
account-delete-kept = garde vos commandes passées pour la comptabilité, sans vos coordonnées ;
account-delete-signed-out = vous déconnecte partout. Cela ne peut pas être annulé.
account-delete-type = Pour confirmer, tapez l’adresse e-mail de ce compte : { $email }
account-delete-confirm = Adresse e-mail du compte
account-delete-confirm-button = Supprimer définitivement mon compte
account-delete-orders-in-progress = Certaines de vos commandes sont encore en cours : vous pourrez supprimer votre compte une fois qu’elles seront livrées ou annulées.
account-delete-not-buyer = Le compte d’un vendeur ou d’un opérateur se ferme auprès de l’équipe de la place de marché : contactez-la.
account-deleted-title = Compte supprimé
account-deleted-text = Vos données personnelles ont été effacées et vous êtes déconnecté. Merci d’être passé par ici.

## Problèmes des formulaires
problem-fix-fields = Corrigez les champs signalés ci-dessous.
problem-required = Obligatoire (200 caractères au plus).
problem-optional-line = 200 caractères au plus.
problem-postal-code = Obligatoire (20 caractères au plus).
problem-email = Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.
problem-phone = Indiquez un numéro de téléphone (chiffres, espaces, + - ( ) .).
problem-display-name = 120 caractères au plus.
problem-country = Choisissez un pays dans la liste.
problem-confirm-email = Tapez l’adresse e-mail de ce compte pour confirmer.
problem-saved-address = Choisissez l’une de vos adresses, ou une autre adresse.
problem-delivery = Choisissez de nouveau le mode de livraison.
checkout-refused-total = Le total a changé (prix ou livraison) : vérifiez le nouveau total et confirmez de nouveau.
checkout-refused-minimum = Le montant des articles n’atteint pas le minimum de commande de cette place de marché.
checkout-refused = La commande n’a pas pu être passée ; vérifiez votre panier et réessayez.
