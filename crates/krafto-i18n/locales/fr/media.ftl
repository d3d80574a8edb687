# Photos téléversées : annonces, boutiques, logo de la place de marché.

media-photos-heading = Vos photos
media-photos-none = Aucune photo téléversée pour l’instant.
media-photos-save-first = Enregistrez l’annonce une première fois pour pouvoir y ajouter vos photos.
media-upload-label = Choisir des photos (JPEG, PNG ou WebP)
media-upload-alt = Description des photos (pour les personnes qui ne les voient pas)
media-upload-note = Jusqu’à { $max } Mo par photo. Nous retirons les informations cachées des fichiers (position GPS, appareil) et préparons plusieurs tailles.
media-upload-button = Ajouter les photos
media-alt-label = Description de la photo { $n }
media-alt-save = Enregistrer la description
media-move-up = Avancer
media-move-down = Reculer
media-delete = Retirer
media-flash-photos = Vos photos sont enregistrées.
media-flash-photo-removed = La photo a été retirée.
media-refused-heading = Cette photo n’a pas été ajoutée
media-too-large = Ce fichier est trop lourd : { $max } Mo au plus par photo.
media-not-image = Ce fichier n’est pas une photo : envoyez une image JPEG, PNG ou WebP.
media-unreadable = Cette image ne peut pas être lue, ou elle est trop grande (en pixels). Essayez une autre photo.
media-none-chosen = Choisissez au moins une photo.
media-too-many = Une annonce a au plus { $max } photos.
media-alt-too-long = La description est trop longue : { $max } caractères au plus.
