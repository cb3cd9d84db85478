/**
 * The page's one inline script (the CSP allows inline only). It reveals the controls, which only
 * set attributes for the CSS to act on: `data-scale` on <body> picks a figure's color scale, the
 * class `filtered` hides a grid cell and its details. Opening a cell from the grid follows the
 * link and opens its <details>, also on load with a #hash.
 */
export const SCRIPT = `
(function(){
function openCell(){var id=decodeURIComponent(location.hash.slice(1));var d=id&&document.getElementById(id);if(d&&d.tagName==='DETAILS'){d.open=true;d.scrollIntoView({block:'start'});}}
function scale(){document.body.setAttribute('data-scale',document.getElementById('scale').value);}
function filter(){
var off={},boxes=document.querySelectorAll('#controls input[type=checkbox]'),i;
for(i=0;i<boxes.length;i++)if(!boxes[i].checked)(off[boxes[i].name]=off[boxes[i].name]||{})[boxes[i].value]=true;
var items=document.querySelectorAll('[data-filter]'),shown=0,total=0;
for(i=0;i<items.length;i++){var el=items[i],key=JSON.parse(el.getAttribute('data-filter')),hide=false;
for(var n in key)if(off[n]&&off[n][key[n]])hide=true;
var target=el.tagName==='A'?el.parentNode:el;target.classList.toggle('filtered',hide);
if(el.tagName==='A'){total++;if(!hide)shown++;}}
document.getElementById('shown').textContent=shown+' of '+total+' cells shown';}
document.addEventListener('DOMContentLoaded',function(){
var form=document.getElementById('controls');form.hidden=false;
document.getElementById('scale').addEventListener('change',scale);
form.addEventListener('change',function(e){if(e.target.type==='checkbox')filter();});
scale();filter();openCell();});
window.addEventListener('hashchange',openCell);
})();
`;
