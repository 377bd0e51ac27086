// Progressive enhancements: searchable selects. Everything works without it.
document.addEventListener("DOMContentLoaded", function () {
  if (window.TomSelect) {
    document.querySelectorAll("select[data-searchable]").forEach(function (el) {
      new TomSelect(el, { maxOptions: 500 });
    });
  }
});
