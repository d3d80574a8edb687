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
mail-confirm-delivery = Livraison : { $option }
mail-confirm-address = Adresse de livraison :

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
checkout-pickup-only = Vous retirez tout chez les vendeurs : aucune adresse de livraison n’est nécessaire.
checkout-pickup-option = { $name } — { $cost }, à retirer à { $address } ({ $hours })
order-pickup-at = À retirer à { $address } — { $hours }
order-ship-to = Adresse de livraison
order-collect = Retrait

## Vendeur : retrait et commande
sell-pickup-address = Lieu de retrait (retrait sur place)
sell-pickup-address-hint = Laissez vide pour une livraison. Rempli, les acheteurs viennent chercher leur commande à cette adresse.
sell-pickup-hours = Horaires de retrait
sell-pickup-hours-hint = Par exemple : le samedi de 9 h à 12 h.
order-phone = Téléphone :
