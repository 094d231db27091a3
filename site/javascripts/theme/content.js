// mkdocs-material 9.8.2's partials/javascripts/content.html (its script for every page) as a file (no inline
// script under the Content-Security-Policy). tests/test_theme_scripts.py keeps it equal to the theme's.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
