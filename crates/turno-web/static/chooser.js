// Turns every <select data-chooser> into a searchable list (tom-select): type to filter
// (accents and capitals ignored), groups by institution, arrows and Enter to choose, the
// chosen units as removable labels. Without JavaScript the <select> works as it is.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-chooser]").forEach(function (select) {
    var many = select.multiple;
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
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
    // tom-select points the label at its own input; the <select> it keeps for the form (hidden
    // from sight, not from screen readers) keeps its name through the same visible label.
    if (label) {
      if (!label.id) label.id = select.id + "-label";
      select.setAttribute("aria-labelledby", label.id);
    }
    // The <select>'s hint ("Ctrl para varias") does not apply to the list.
    var hint = select.dataset.hintId && document.getElementById(select.dataset.hintId);
    if (hint) hint.hidden = true;
  });
});
