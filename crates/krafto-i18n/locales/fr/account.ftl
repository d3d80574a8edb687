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
