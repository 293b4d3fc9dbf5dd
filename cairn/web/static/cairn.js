// Progressive enhancement only: every page works without this file.
document.documentElement.classList.replace('ds_no-js', 'js-enabled');
document.addEventListener('DOMContentLoaded', function () {
  if (window.DS && window.DS.initAll) { window.DS.initAll(); }
});

// After htmx swaps new content in (any partial, any page):
// 1. set up Design System components inside it;
// 2. read out its news through the page's one live region (#cairn-live, in base.html): a partial
//    marks the sentence to announce with data-announce;
// 3. if the swap removed the focused element, move focus to the partial's data-focus-after-swap
//    element (or the swapped region itself) so keyboard users are not thrown back to the top.
// htmx itself keeps focus on an element whose id is the same before and after the swap.
// A swap the person did not ask for (a poll, marked data-passive) does none of this: focus stays
// wherever it is, and its own live region speaks for it.
document.addEventListener('htmx:afterSettle', function (event) {
  var region = event.detail.target;
  if (!region || !document.body.contains(region)) {
    var id = event.detail.target && event.detail.target.id;
    region = (id && document.getElementById(id)) || document.getElementById('main-content');
  }
  if (region.hasAttribute('data-passive')) { return; }
  if (window.DS && window.DS.initAll) { window.DS.initAll(region); }

  var news = region.querySelector('[data-announce]');
  var live = document.getElementById('cairn-live');
  if (news && live) {
    live.textContent = '';
    // A fresh text node after a tick is what screen readers reliably notice.
    window.setTimeout(function () { live.textContent = news.textContent.trim(); }, 50);
  }

  // A form answered with errors (htmx swaps 400 and 422 in, see base.html): go to its summary,
  // as a page reload would, so the errors are read out and their links are next.
  var summary = region.querySelector('.ds_error-summary');
  if (summary && event.detail.xhr && event.detail.xhr.status >= 400) {
    summary.focus();
    return;
  }

  var active = document.activeElement;
  if (!active || active === document.body || !document.body.contains(active)) {
    var landing = region.querySelector('[data-focus-after-swap]') || region;
    if (!landing.hasAttribute('tabindex') && !landing.matches('a, button, input, select, textarea')) {
      landing.setAttribute('tabindex', '-1');
    }
    landing.focus();
  }
});

// A form came back with errors: take keyboard and screen-reader users to the summary first.
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
});
