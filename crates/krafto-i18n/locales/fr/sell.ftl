# L'espace vendeur (/sell).
sell-tab-overview = Vue d’ensemble
sell-tab-listings = Annonces
sell-tab-orders = Commandes
sell-tab-payouts = Versements
sell-tab-shop = Réglages de la boutique
sell-shop-status = État de la boutique :
sell-see-shop = Voir votre boutique comme les acheteurs
sell-wizard-title = Prêt à vendre : { $done } étape(s) faite(s) sur { $total }
sell-step-done = Fait
sell-step-next = Ensuite
sell-step-todo = À faire
sell-ready = Votre boutique est ouverte : les acheteurs peuvent acheter vos annonces.
sell-submit-text = Votre profil est complet. Soumettez votre boutique pour que { $name } l’ouvre aux acheteurs.
sell-submit = Soumettre ma boutique
sell-latest-orders = Dernières commandes
sell-col-order = Commande
sell-col-date = Date
sell-col-status = État
sell-col-total = Total
sell-all-orders = Toutes les commandes
sell-add-listing = Ajouter une annonce
sell-import = Importer des annonces depuis un fichier CSV
sell-open-intro = Ouvrez votre boutique, racontez votre histoire, présentez vos créations et soyez payé via Stripe. Quatre étapes : le profil de la boutique, la vérification de votre identité, votre compte bancaire pour les versements, et votre première annonce. Votre progression est enregistrée au fur et à mesure.
sell-open = Ouvrir ma boutique
sell-sign-in-first = Connectez-vous ou créez un compte pour commencer
sell-shop-name = Nom de la boutique
sell-step-profile = Profil de la boutique
sell-step-verification = Vérification
sell-step-payouts = Versements
sell-step-first-listing = Première annonce
sell-step-profile-complete = complet
sell-step-profile-missing = il manque : { $missing }
sell-gap-story = votre histoire
sell-gap-location = la ville et le pays
sell-gap-profile-image-url = un logo
sell-step-verification-approved = approuvée
sell-step-verification-submitted = envoyée, en attente de l’examen de la place de marché (généralement sous { $time })
sell-step-verification-rejected = refusée : { $reason } ; envoyez-la de nouveau
sell-step-verification-todo = indiquez votre nom légal, votre type d’activité, votre adresse et vos documents
sell-step-payouts-ready = paiements et versements activés
sell-step-payouts-checking = Stripe vérifie vos informations
sell-step-payouts-needs = Stripe a encore besoin de : { $needs }
sell-step-payouts-todo = reliez un compte bancaire via Stripe pour être payé
sell-step-listing-live = { $n ->
    [one] { $n } annonce en ligne
   *[other] { $n } annonces en ligne
}
sell-step-listing-pending = { $n ->
    [one] { $n } annonce en attente de validation, généralement sous { $time }
   *[other] { $n } annonces en attente de validation, généralement sous { $time }
}
sell-step-listing-todo = publiez votre première annonce
sell-not-done = Cela n’a pas fonctionné
sell-flash-opened = Votre boutique est ouverte. Suivez les étapes ci-dessous pour commencer à vendre.
sell-flash-submitted = Votre boutique a été soumise.
sell-flash-saved = Enregistré.
sell-flash-verification = Merci : vos informations ont été envoyées pour vérification.
sell-flash-payouts = De retour de Stripe. L’état de vos versements est ci-dessous.
sell-flash-deleted = L’annonce a été supprimée.
sell-flash-imported = Les lignes importées sont enregistrées comme brouillons.
sell-flash-published-review = Publiée : l’annonce attend l’examen de la place de marché, généralement sous { $time }.
sell-flash-published = Publiée : l’annonce est en ligne.
sell-filter-all = Toutes
sell-filter-drafts = Brouillons
sell-filter-in-review = En examen
sell-filter-live = En ligne
sell-filter-out-of-stock = Épuisées
sell-filter-rejected = Refusées
sell-filter-archived = Archivées
sell-filter-to-accept = À accepter
sell-filter-to-ship = À expédier
sell-filter-by-status = Filtrer par état
sell-no-listings = Aucune annonce ici pour l’instant.
sell-view = Voir
sell-more-listings = Plus d’annonces
sell-no-orders = Aucune commande ici.
sell-col-buyer = Acheteur
sell-more-orders = Plus de commandes
sell-shop-address = Adresse de votre boutique :
sell-shop-profile = Profil
sell-delivery-options = Options de livraison
sell-save = Enregistrer
sell-region = Région
sell-profile-image = Image de profil (URL)
sell-banner = Bannière (URL)
sell-processing-from = Délai de préparation : de (jours)
sell-processing-to = Délai de préparation : à (jours)
sell-languages = Langues (séparées par des virgules, par ex. fr, en)
sell-story = Votre histoire : qui vous êtes et comment vous fabriquez
sell-returns = Politique de retour
sell-delivery-name = Nom
sell-delivery-base = Prix de base
sell-delivery-per-item = Par article
sell-delivery-days-from = Jours : de
sell-delivery-days-to = Jours : à
sell-delivery-intro = Les acheteurs choisissent l’une de ces options à la commande. Le coût est le prix de base plus le prix par article pour chaque unité. Laissez un nom vide pour retirer une ligne.
sell-delivery-option = Option { $n }
sell-delivery-save = Enregistrer les options de livraison
sell-choose = Choisir…
sell-business-type = Type d’activité
sell-business-individual = Particulier
sell-business-sole-trader = Entrepreneur individuel
sell-business-company = Société
sell-business-association = Association
sell-legal-name = Nom légal
sell-documents = Références des documents (une par ligne : numéro de carte d’identité, numéro d’immatriculation…)
sell-verification-intro = { $name } vérifie qui se trouve derrière chaque boutique. Les boutiques vérifiées affichent un badge aux acheteurs.
sell-verification-last = Votre dernière demande :
sell-verification-send = Envoyer pour vérification
sell-verification-submitted = envoyée, en attente d’examen (généralement sous { $time })
sell-verification-approved = approuvée
sell-verification-rejected = refusée
sell-payouts-ready = Paiements et versements activés : les acheteurs peuvent vous payer et Stripe vous verse vos gains.
sell-payouts-needs = Stripe a encore besoin de quelques informations avant que les acheteurs puissent vous payer.
sell-payouts-connect = Reliez un compte bancaire via Stripe pour que les acheteurs puissent vous payer.
sell-payouts-continue = Continuer avec Stripe
sell-payouts-setup = Configurer les versements avec Stripe
sell-payouts-test-mode = Mode test : une page de test remplace Stripe.
sell-balance = Solde
sell-earned = Gagné
sell-commission-negotiated = Commission : { $rate } (taux négocié)
sell-commission-marketplace = Commission : { $rate } (taux de la place de marché)
sell-commission-categories = Sauf dans ces catégories :
sell-commission-category = { $name } : { $rate }
sell-commission-frozen = Chaque commande garde le taux du jour de la vente.
sell-paid-out = Versé
sell-pending = En attente
sell-held = Dont réservé par la place de marché
sell-held-title = Versé plus tard
sell-held-note = Cette place de marché paie ses vendeurs à l’expédition, ou quelques jours après la livraison : d’ici là, l’argent vous est réservé.
sell-held-shipping = { $amount } pour la commande { $order } : versé à l’expédition
sell-held-delivery = { $days ->
    [0] { $amount } pour la commande { $order } : versé à la livraison
    [one] { $amount } pour la commande { $order } : versé { $days } jour après la livraison
   *[other] { $amount } pour la commande { $order } : versé { $days } jours après la livraison
}
sell-held-due = { $amount } pour la commande { $order } : versé le { $date }
sell-per-order = Ce que chaque commande vous a rapporté
sell-col-fee = Frais de la place de marché
sell-col-platform-share = dont part de la plateforme
sell-col-payout = Votre versement
sell-import-paste = Ou collez le CSV
sell-import-summary = { $imported } importée(s) comme brouillons, { $rejected } refusée(s).
sell-import-line = Ligne
sell-import-result = Résultat
sell-import-details = Détails
sell-import-ok = Importée
sell-import-rejected = Refusée
sell-import-edit = Modifier le brouillon
sell-import-drafts = Voir vos brouillons
sell-import-more = Importer d’autres annonces
sell-import-columns = La première ligne nomme les colonnes :
sell-import-rules = Les étiquettes, matériaux et photos sont séparés par « | ». Chaque ligne valide devient un brouillon ; vous recevez un compte rendu pour chaque ligne.
sell-import-file = Choisir un fichier
sell-import-button = Importer
sell-choose-category = Choisir une catégorie…
sell-listing-title = Titre
sell-listing-price = Prix ({ $currency })
sell-listing-quantity = Quantité en stock
sell-listing-description = Description
sell-photo-url = Photo { $n } : adresse (URL)
sell-photo-alt = Photo { $n } : description (texte alternatif)
sell-variant-options = Variante { $n } : options (par ex. Couleur=Bleu; Taille=M)
sell-variant-sku = Référence
sell-variant-price = Prix (s’il est différent)
sell-listing-tags = Étiquettes (séparées par des virgules)
sell-listing-materials = Matériaux (séparés par des virgules)
sell-listing-processing = Délai de préparation (jours)
sell-listing-weight = Poids (g)
sell-listing-length = Longueur (mm)
sell-listing-width = Largeur (mm)
sell-listing-height = Hauteur (mm)
sell-listing-style = Style
sell-saved-not-published = Enregistrée comme brouillon, mais pas publiée
sell-not-published = Non publiée
sell-edit-listing = Modifier l’annonce
sell-new-listing = Nouvelle annonce
sell-listing-needs = Avant de pouvoir être publiée, cette annonce a besoin de :
sell-essentials = L’essentiel
sell-photos-note = Collez l’adresse de chaque photo et décrivez-la pour les acheteurs qui ne peuvent pas la voir.
sell-variants-summary = Variantes (facultatif) : tailles, couleurs…
sell-variants = Variantes
sell-variants-note = Chaque variante a son propre stock, et son propre prix s’il diffère.
sell-save-draft = Enregistrer le brouillon
sell-save-publish = Enregistrer et publier
sell-restore = Restaurer comme brouillon
sell-archive = Archiver
sell-delete = Supprimer
listing-status-new = nouvelle
listing-status-draft = brouillon
listing-status-pending-review = en attente de validation
listing-status-active = en ligne
listing-status-out-of-stock = épuisée
listing-status-rejected = refusée
listing-status-archived = archivée
sell-lead-with-summary = { $lead } : { $summary }
sell-tracking-field = Numéro de suivi (facultatif)
sell-cancel-reason = Motif de l’annulation (l’acheteur le voit ; il est remboursé)
sell-accept = Accepter la commande
sell-ship = Marquer comme expédiée
sell-deliver = Marquer comme livrée
sell-cancel = Annuler la commande
sell-ship-to = Livrer à
sell-items-and-fees = Articles et frais
sell-col-item = Article
sell-col-qty = Qté
sell-col-amount = Montant
sell-col-net = Vous recevez
sell-platform-share-of = dont { $amount } pour la plateforme
sell-shipping-yours = Livraison (pour vous)
sell-buyer-paid = Payé par l’acheteur
sell-actor-buyer = acheteur
sell-actor-seller = vendeur
sell-actor-operator = place de marché
sell-actor-system = automatique
sell-actor-staff = support
sell-actor-platform = support de la plateforme
sell-profile-incomplete = Le profil de votre boutique n’est pas encore complet
sell-step-delivery = Modes de livraison
sell-step-delivery-done = { $n ->
    [one] un mode de livraison
   *[other] { $n } modes de livraison
}
sell-step-delivery-todo = indiquez comment les acheteurs reçoivent leurs commandes (envoi ou retrait) : sans cela, personne ne peut acheter
sell-step-go-live = Ouvrir votre boutique
sell-step-live-open = ouverte : les acheteurs trouvent votre boutique et peuvent acheter
sell-step-live-waiting = envoyée : { $marketplace } examine les nouvelles boutiques, généralement sous { $time } ; vous recevez un e-mail dès la décision
sell-step-live-suspended = suspendue : { $reason }
sell-step-live-submit-review = envoyez votre boutique : la place de marché l’examine avant que les acheteurs la voient, généralement sous { $time }
sell-step-live-submit = publiez votre boutique : les acheteurs la voient dès qu’elle est ouverte
sell-step-listing-ready = { $n ->
    [one] une annonce prête : les acheteurs la verront dès l’ouverture de votre boutique
   *[other] { $n } annonces prêtes : les acheteurs les verront dès l’ouverture de votre boutique
}
review-time-hours = { $n ->
    [one] { $n } heure
   *[other] { $n } heures
}
review-time-days = { $n ->
    [one] { $n } jour
   *[other] { $n } jours
}
