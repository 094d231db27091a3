// mkdocs-material 9.8.2's partials/javascripts/base.html as a file, so the Content-Security-Policy needs no
// inline script; the scope the theme wrote into the script comes from the element's data-scope
// (site/overrides/partials/javascripts/base.html). tests/test_theme_scripts.py keeps it equal to the theme's.
__md_scope=new URL(document.currentScript.dataset.scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
