# Les e-mails, dans la langue de la place de marché.

mail-code-subject = { $code } est votre code de connexion à { $name }
mail-code-intro = Votre code de connexion à { $name } est :
mail-code-expiry = Il expire dans { $minutes } minutes et ne sert qu’une fois. Si vous ne l’avez pas demandé, ignorez ce message.
mail-confirm-subject = { $name } : votre commande est confirmée
mail-confirm-intro = Merci pour votre commande sur { $name }.
mail-confirm-total = Total payé : { $total }
mail-confirm-order = Commande { $number } chez { $shop } : { $total }
mail-follow = Suivez-la : { $url }
mail-seller-subject = Nouvelle commande { $number } sur { $name }
mail-seller-body = Vous avez une nouvelle commande, { $number }, de { $total } (vous recevez { $net } après commission, livraison comprise).
mail-seller-accept = Acceptez-la dans votre tableau de bord : { $url }
mail-status-subject = { $name } : commande { $number } — { $status }
mail-status-body = Votre commande { $number } { $what }.
mail-status-confirmed = a été acceptée par le vendeur
mail-status-shipped = a été expédiée
mail-status-shipped-tracking = a été expédiée (numéro de suivi { $tracking })
mail-status-out-for-delivery = est en cours de livraison
mail-status-delivered = a été livrée
mail-status-cancelled = a été annulée et sera remboursée intégralement ({ $reason })
mail-status-refunded = a été remboursée intégralement ({ $reason })
mail-shop-opened-subject = Votre boutique { $shop } est ouverte sur { $marketplace }
mail-shop-opened-body = Bonne nouvelle : { $marketplace } a approuvé votre boutique. Les acheteurs peuvent la trouver dès maintenant :
    { $shop_url }

    Vos annonces apparaissent dès qu’elles sont publiées : { $url }
mail-shop-refused-subject = Votre boutique { $shop } n’est pas encore approuvée
mail-shop-refused-body = { $marketplace } n’a pas encore approuvé votre boutique, pour cette raison :
    { $reason }

    Modifiez ce qui est demandé, puis envoyez à nouveau votre boutique : { $url }
mail-shop-suspended-subject = Votre boutique { $shop } est suspendue
mail-shop-suspended-body = { $marketplace } a suspendu votre boutique, pour cette raison :
    { $reason }

    Les acheteurs ne la voient plus jusqu’à sa réouverture. Répondez à cet e-mail pour en parler.
mail-listing-live-subject = Votre annonce « { $title } » est en ligne
mail-listing-live-body = { $marketplace } a approuvé votre annonce « { $title } » : les acheteurs la trouvent dans votre boutique.
    { $shop_url }
mail-listing-refused-subject = Votre annonce « { $title } » n’a pas été approuvée
mail-listing-refused-body = { $marketplace } n’a pas approuvé votre annonce « { $title } », pour cette raison :
    { $reason }

    Modifiez-la, puis publiez-la à nouveau : { $url }
mail-verified-subject = { $shop } est vérifiée
mail-verified-body = { $marketplace } a vérifié votre identité : votre boutique affiche le badge « Vérifiée ».
    { $shop_url }
mail-verification-refused-subject = Votre vérification pour { $shop } n’a pas été acceptée
mail-verification-refused-body = { $marketplace } n’a pas pu vérifier votre identité, pour cette raison :
    { $reason }

    Envoyez à nouveau vos informations : { $url }

# Remboursements
mail-refund-subject = { $name } : remboursement de { $amount } sur la commande { $number }
mail-refund-buyer = Nous vous remboursons { $amount } sur votre commande { $number } ({ $reason }). La somme arrive sur votre carte sous 5 à 10 jours.
mail-refund-seller = { $amount } de la commande { $number } sont remboursés à l’acheteur ({ $reason }). { $part } sont retirés de vos gains.
mail-refund-requested-subject = { $name } : demande de remboursement sur la commande { $number }
mail-refund-requested-body = L’acheteur de la commande { $number } demande un remboursement. Acceptez-le ou refusez-le en expliquant pourquoi : { $url }
mail-refund-declined-subject = { $name } : votre demande de remboursement sur la commande { $number }
mail-refund-declined-body = Votre demande de remboursement sur la commande { $number } a été refusée : { $reason }. Vous pouvez contacter la place de marché en répondant à cet e-mail.

# Litiges
mail-dispute-opened-subject = { $name } : un paiement de { $amount } est contesté (commandes { $orders })
mail-dispute-opened-operator = La banque de l’acheteur conteste le paiement des commandes { $orders } ({ $amount }). Les remboursements de ces commandes sont suspendus. Envoyez vos preuves avant la date limite : { $url }
mail-dispute-opened-seller = La banque de l’acheteur conteste le paiement des commandes { $orders } ({ $amount }). Le montant contesté et les frais bancaires sont retenus sur vos gains jusqu’à la décision. La place de marché répond à la banque : envoyez-lui votre preuve d’expédition ou de livraison en répondant à cet e-mail.
mail-dispute-won-subject = { $name } : litige gagné (commandes { $orders })
mail-dispute-won-operator = Le litige sur les commandes { $orders } ({ $amount }) est gagné : l’argent est revenu et les vendeurs sont payés à nouveau. { $url }
mail-dispute-won-seller = Le litige sur les commandes { $orders } ({ $amount }) est gagné : la somme retenue vous est reversée.
mail-dispute-lost-subject = { $name } : litige perdu (commandes { $orders })
mail-dispute-lost-operator = Le litige sur les commandes { $orders } ({ $amount }) est perdu : la banque garde l’argent. { $url }
mail-dispute-lost-seller = Le litige sur les commandes { $orders } ({ $amount }) est perdu : la banque a rendu l’argent à l’acheteur, et la somme reste déduite de vos gains.
