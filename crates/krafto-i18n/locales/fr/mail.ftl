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
