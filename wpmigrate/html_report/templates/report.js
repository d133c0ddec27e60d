"use strict";
// Filtering and sorting of the posts' table; without this script the table is all shown.
(function () {
  const form = document.querySelector("form.controls");
  const table = document.querySelector("table.posts");
  if (!form || !table) return;
  form.hidden = false;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const titles = rows.map((row) => row.querySelector(".title").textContent.toLowerCase());

  function apply() {
    const query = form.elements.q.value.trim().toLowerCase();
    const outcome = form.elements.outcome.value;
    const type = form.elements.type.value;
    let shown = 0;
    rows.forEach((row, n) => {
      const visible = (!outcome || row.dataset.outcome === outcome)
        && (!type || row.dataset.type === type)
        && (!query || titles[n].includes(query));
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    form.elements.shown.value = String(shown);
  }

  let pending = 0;
  form.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(apply, 60);
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  Array.from(table.tHead.rows[0].cells).forEach((cell, column) => {
    const kind = cell.dataset.sort;
    if (!kind) return;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = cell.textContent;
    cell.textContent = "";
    cell.appendChild(button);
    let ascending = true;
    button.addEventListener("click", () => {
      const key = (row) => {
        const target = row.cells[column];
        const value = target.dataset.value ?? target.textContent.trim();
        return kind === "number" ? Number(value) || 0 : value.toLowerCase();
      };
      const keyed = Array.from(body.rows).map((row) => [key(row), row]);
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) * (ascending ? 1 : -1));
      body.append(...keyed.map((pair) => pair[1]));
      ascending = !ascending;
    });
  });
})();
