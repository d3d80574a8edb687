# L'espace vendeur (/sell).
