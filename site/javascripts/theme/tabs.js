// mkdocs-material 9.8.2's partials/javascripts/content.html (its script for the content.tabs.link feature) as a
// file (no inline script under the Content-Security-Policy). tests/test_theme_scripts.py keeps it equal.
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
