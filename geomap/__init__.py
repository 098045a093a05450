"""geomap: find the places news articles mention and map them."""
