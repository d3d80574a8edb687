# Uploaded photos: listings, shops, the marketplace's logo.

media-photos-heading = Your photos
media-photos-none = No photos uploaded yet.
media-photos-save-first = Save the listing once to add your photos to it.
media-upload-label = Choose photos (JPEG, PNG or WebP)
media-upload-alt = Describe the photos (for people who cannot see them)
media-upload-note = Up to { $max } MB per photo. We remove the hidden information in the files (GPS position, camera) and prepare several sizes.
media-upload-button = Add the photos
media-alt-label = Description of photo { $n }
media-alt-save = Save the description
media-move-up = Move earlier
media-move-down = Move later
media-delete = Remove
media-flash-photos = Your photos are saved.
media-flash-photo-removed = The photo was removed.
media-refused-heading = This photo was not added
media-too-large = This file is too large: at most { $max } MB per photo.
media-not-image = This file is not a photo: send a JPEG, PNG or WebP image.
media-unreadable = This image cannot be read, or it is too large (in pixels). Try another photo.
media-none-chosen = Choose at least one photo.
media-too-many = A listing has at most { $max } photos.
media-alt-too-long = The description is too long: at most { $max } characters.
