// Turns every <select data-chooser> into a searchable list (tom-select): type to filter
// (accents and capitals ignored), groups by institution, arrows and Enter to choose, the
// chosen units as removable labels. Without JavaScript the <select> works as it is.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-chooser]").forEach(function (select) {
    var many = select.multiple;
    new TomSelect(select, {
      plugins: many ? ["remove_button"] : [],
      maxOptions: null,
      lockOptgroupOrder: true,
      searchField: ["text", "optgroup"],
      placeholder: select.dataset.chooser,
      hidePlaceholder: true,
      closeAfterSelect: !many,
      // A filter's «Todas» (value "") is a choice like any other.
      allowEmptyOption: !many && !select.required,
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">Ninguna unidad coincide con «' + escape(data.input) + "».</div>";
        },
      },
    });
    // The <select>'s hint ("Ctrl para varias") does not apply to the list.
    var hint = select.dataset.hintId && document.getElementById(select.dataset.hintId);
    if (hint) hint.hidden = true;
  });
});
