// Progressive enhancements: searchable selects. Everything works without it.
(function () {
  // A select with data-remote lists only what is chosen; the rest is searched on the server
  // (a scoped API list taking ?q=), so a province's 20,000 units never go into one page.
  function remoteSettings(el) {
    var url = el.dataset.remote;
    var label = el.dataset.labelField || "full_name";
    var hint = el.dataset.hintField;  // e.g. a person's unit, so two 张伟 can be told apart
    function text(data, escape) {
      var main = escape(data[label] || data.text || "");
      return hint && data[hint] ? main + " <small class=\"text-secondary\">" + escape(data[hint]) + "</small>" : main;
    }
    return {
      valueField: "id", labelField: label, searchField: [label], maxOptions: 50, preload: "focus",
      render: {
        option: function (data, escape) { return "<div>" + text(data, escape) + "</div>"; },
        item: function (data, escape) { return "<div>" + text(data, escape) + "</div>"; },
      },
      load: function (query, callback) {
        var sep = url.indexOf("?") < 0 ? "?" : "&";
        fetch(url + sep + "limit=50&q=" + encodeURIComponent(query),
              { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (j) { callback(j.results || []); })
          .catch(function () { callback(); });
      },
    };
  }

  function enhance(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-searchable], select[data-remote]").forEach(function (el) {
      if (el.tomselect) { return; }
      new TomSelect(el, el.dataset.remote ? remoteSettings(el) : { maxOptions: 500 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // A form with data-confirm asks before it is sent (报送上级, 审阅通过…): a decision is not undone by a click.
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);
  // Forms htmx swaps in get the same treatment.
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
