// 责任追究: add a row of 处理措施 to the form (the formset's empty form, its prefix numbered).
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-action]");
    if (!button) { return; }
    event.preventDefault();
    var template = document.getElementById("action-template");
    var total = document.querySelector("input[name='actions-TOTAL_FORMS']");
    var rows = document.getElementById("action-rows");
    if (!template || !total || !rows) { return; }
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    // site.js enhances pickers of content htmx loads: the same event for this row.
    document.dispatchEvent(new CustomEvent("htmx:load", { detail: { elt: row } }));
  });
})();
