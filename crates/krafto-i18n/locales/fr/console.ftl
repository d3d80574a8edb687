# La console de l'opérateur (/admin).
