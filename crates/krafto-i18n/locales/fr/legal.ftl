# Les pages légales de la place de marché (seed 000 X-LEGAL-01) et les mots du journal.

legal-terms = Conditions générales de vente
legal-legal-notice = Mentions légales
legal-privacy = Confidentialité
legal-contact = Contact
legal-updated = Mis à jour le { $date }
legal-unwritten = { $name } n’a pas encore publié cette page.
legal-write-to = Pour joindre { $name }, écrivez à
legal-ask-operator = Pour une question sur une commande, contactez la boutique où vous avez acheté.
legal-report = Signaler un problème
legal-footer = Informations légales
legal-checkout-before = En passant commande, vous acceptez les
legal-checkout-terms = conditions générales de vente
legal-checkout-after = de { $name }.
legal-checkout-data = Ce que nous faisons de vos données :

console-nav-legal = Pages légales
console-legal-intro = Ces pages sont liées depuis le pied de chaque page et depuis la commande. Rédigez-les dans la langue de la place de marché. Séparez les paragraphes par une ligne vide ; une ligne commençant par « # » est un titre. Vider une page la retire du site.
console-legal-missing = Pas encore publiée
console-legal-published = Publiée, mise à jour le { $date }
console-legal-body = Texte de la page « { $page } »
console-legal-save = Enregistrer « { $page } »
console-legal-view = Voir la page
console-legal-saved = La page est enregistrée et en ligne.
console-legal-removed = La page est retirée du site.
console-legal-todo = Pages légales pas encore publiées : { $pages }.
console-legal-todo-link = Les rédiger

