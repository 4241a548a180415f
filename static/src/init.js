// Starts GOV.UK Frontend's components on every page.
//
// Loaded as an ES module from our own origin, so the Content-Security-Policy can
// forbid inline scripts. Browsers that cannot run modules never run this file and
// get the plain HTML, which works on its own: every form posts, and "Exit this
// page" is an ordinary link.
import {
  Accordion,
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  ExitThisPage,
  NotificationBanner,
  Radios,
  SkipLink,
  Tabs,
  createAll
} from './govuk-frontend.min.js'

// The layout's first script already sets these classes; set them again here so the
// components' styles apply even if that script was blocked. classList ignores
// a class that is already there.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

/**
 * Exit this page, leaving no way Back.
 *
 * The stock component sets location.href, which adds this page to the history,
 * so pressing Back returns to it. location.replace swaps the current entry for
 * the neutral site instead. The body mirrors ExitThisPage.exitPage in
 * govuk-frontend 6.3.0 (hide the page, announce, leave); check it on upgrade.
 */
class ExitThisPageWithoutHistory extends ExitThisPage {
  exitPage () {
    if (!this.$updateSpan) {
      return
    }
    this.$updateSpan.textContent = ''
    document.body.classList.add('govuk-exit-this-page-hide-content')
    this.$overlay = document.createElement('div')
    this.$overlay.className = 'govuk-exit-this-page-overlay'
    this.$overlay.setAttribute('role', 'alert')
    document.body.appendChild(this.$overlay)
    this.$overlay.textContent = this.i18n.t('activated')
    window.location.replace(this.$button.href)
  }
}

// Each component on its own, rather than initAll, so that Exit this page uses
// the subclass above and is never started twice.
for (const Component of [
  Accordion,
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  ExitThisPageWithoutHistory,
  NotificationBanner,
  Radios,
  SkipLink,
  Tabs
]) {
  createAll(Component)
}

// A page brought back from the back-forward cache is shown as it was, without
// asking the server. Pages here are sent with Cache-Control: no-store, which
// keeps them out of that cache in Chromium; should a browser keep one anyway,
// fetch it again, so it shows only what the server still holds (after Exit this
// page: nothing).
window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    window.location.reload()
  }
})
