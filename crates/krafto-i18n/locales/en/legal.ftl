# The marketplace's legal pages (seed 000 X-LEGAL-01) and the audit log's words.

legal-terms = Terms of sale
legal-legal-notice = Legal notice
legal-privacy = Privacy
legal-contact = Contact
legal-updated = Last updated { $date }
legal-unwritten = { $name } has not published this page yet.
legal-write-to = To reach { $name }, write to
legal-ask-operator = For a question about an order, contact the shop you bought from.
legal-report = Report a problem
legal-footer = Legal information
legal-checkout-before = By placing your order, you accept the
legal-checkout-terms = terms of sale
legal-checkout-after = of { $name }.
legal-checkout-data = How your data is used:

console-nav-legal = Legal pages
console-legal-intro = These pages are linked from the footer of every page and from checkout. Write them in the marketplace’s language. Separate paragraphs with a blank line; a line starting with “# ” is a heading. Emptying a page takes it down.
console-legal-missing = Not published yet
console-legal-published = Published, last updated { $date }
console-legal-body = Text of the page “{ $page }”
console-legal-save = Save “{ $page }”
console-legal-view = See the page
console-legal-saved = The page is saved and online.
console-legal-removed = The page is taken down.
console-legal-todo = Legal pages not published yet: { $pages }.
console-legal-todo-link = Write them

