// The staff console's enhancements (templates/staff/console.html).
//
// The console works without this file: every button posts the whole form and the
// server draws the page again. With it:
//   - the assessment panel updates as answers are given (debounced POST of the form
//     to /staff/assessment, which returns the panel alone), focus stays where it is,
//     and a new risk level is announced in a polite live region;
//   - "Add another incident" copies a row instead of posting;
//   - "Copy summary" copies the call summary to the clipboard;
//   - the print page gets a "Print this page" button;
//   - the questions worth asking (rules.interview, sent with each panel) are marked in the
//     form, and the jump links and access keys put the keyboard straight into a field;
//   - Exit this page asks before discarding a call in progress, and the Shift-three-times
//     exit asks too (or is off, when the deployment says STAFF_QUICK_EXIT_KEYS=false);
//   - a page brought back from the browser's history shows no caller's answers.
// It talks only to this app's own address, and keeps nothing: no storage, no cookies.
import { Checkboxes } from './govuk-frontend.min.js'

const DEBOUNCE_MS = 300

const form = document.getElementById('staff-form')
const announcer = document.getElementById('staff-announcer')

/** Say something to screen reader users, politely. */
function announce (text) {
  if (!announcer) return
  // Clear first, so the same words said twice are announced twice.
  announcer.textContent = ''
  window.setTimeout(() => { announcer.textContent = text }, 50)
}

function riskLevelOf (panel) {
  const level = panel.querySelector('[data-risk-level]')
  return level ? level.getAttribute('data-risk-level') : ''
}

function setUpLiveUpdate () {
  const panel = form.querySelector('[data-assessment-panel]')
  const url = form.getAttribute('data-assessment-url')
  let timer = null
  let controller = null
  let sent = 0
  let lastLevel = riskLevelOf(panel)
  let scheduled = 0 // updates asked for (each keystroke), to tell when the panel is current
  let started = 0
  const pending = () => started < scheduled

  async function update () {
    window.clearTimeout(timer)
    started = scheduled
    if (controller) controller.abort()
    controller = new AbortController()
    const number = ++sent
    const body = new FormData(form)
    panel.setAttribute('aria-busy', 'true')
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        signal: controller.signal,
        headers: { Accept: 'text/html' }
      })
      const html = await response.text()
      if (number !== sent) return // a newer update is on its way
      const focusedId = panel.contains(document.activeElement) ? document.activeElement.id : ''
      panel.innerHTML = html
      if (focusedId && document.getElementById(focusedId)) {
        document.getElementById(focusedId).focus()
      }
      setUpPanel(panel)
      markWorthAsking()
      const level = riskLevelOf(panel)
      if (panel.querySelector('[data-problems]')) {
        announce('There is a problem with the answers. Nothing is assessed until it is fixed.')
      } else if (level && level !== lastLevel) {
        announce('Risk level: ' + level)
      }
      lastLevel = level
    } catch (error) {
      if (error.name !== 'AbortError') {
        announce('The assessment could not be updated. Press Update the assessment.')
      }
    } finally {
      if (number === sent && !pending()) panel.removeAttribute('aria-busy')
    }
  }

  // The panel is busy from the first keystroke until the latest update has arrived.
  function later () {
    window.clearTimeout(timer)
    panel.setAttribute('aria-busy', 'true')
    scheduled++
    timer = window.setTimeout(update, DEBOUNCE_MS)
  }

  form.addEventListener('input', later)
  form.addEventListener('change', later)

  // "Update the assessment" (and Enter in a field) updates the panel in place rather
  // than drawing the whole page again. Buttons with their own formaction (print,
  // plain text) and "Add another incident" keep their own behaviour.
  form.addEventListener('submit', (event) => {
    const button = event.submitter
    if (button && (button.hasAttribute('formaction') || button.name === 'add_row')) return
    event.preventDefault()
    update()
  })
  setUpPanel(panel)
}

/** The panel's own controls; run again each time the panel is replaced. */
function setUpPanel (panel) {
  for (const element of panel.querySelectorAll('[data-no-js-note]')) element.hidden = true
  const button = panel.querySelector('[data-copy-summary]')
  if (button) button.hidden = false
}

async function copySummary (panel) {
  const textarea = panel.querySelector('[data-summary]')
  const shown = panel.querySelector('[data-copied]')
  if (!textarea) return
  let message
  try {
    await navigator.clipboard.writeText(textarea.value)
    message = 'Copied'
  } catch (error) {
    // No clipboard permission: select the text so Ctrl+C copies it.
    textarea.focus()
    textarea.select()
    let copied = false
    try { copied = document.execCommand('copy') } catch (ignored) { copied = false }
    message = copied ? 'Copied' : 'Summary selected: press Ctrl+C to copy it'
  }
  if (shown) shown.textContent = message
  announce(message)
}

function setUpCopy () {
  const panel = form.querySelector('[data-assessment-panel]')
  panel.addEventListener('click', (event) => {
    const button = event.target.closest('[data-copy-summary]')
    if (button) {
      event.preventDefault()
      copySummary(panel)
    }
  })
}

/** Give a copied row the next number, and empty it. */
function renumber (row, questionId, index) {
  const pattern = new RegExp('^' + questionId + '-\\d+-')
  const replacement = questionId + '-' + index + '-'
  for (const element of row.querySelectorAll('[id], [name], [for], [aria-describedby]')) {
    for (const attribute of ['id', 'name', 'for']) {
      const value = element.getAttribute(attribute)
      if (value) element.setAttribute(attribute, value.replace(pattern, replacement))
    }
    element.removeAttribute('aria-describedby')
  }
  for (const number of row.querySelectorAll('[data-row-number]')) number.textContent = String(index + 1)
  for (const error of row.querySelectorAll('.govuk-error-message')) error.remove()
  for (const element of row.querySelectorAll('[class*="--error"]')) {
    element.className = element.className.replace(/\s*\S+--error\b/g, '')
  }
  row.classList.remove('app-staff-cell--error')
  for (const cell of row.querySelectorAll('.app-staff-cell--error')) cell.classList.remove('app-staff-cell--error')
  for (const input of row.querySelectorAll('input, textarea, select')) {
    input.removeAttribute('autofocus')
    if (input.type === 'checkbox' || input.type === 'radio') input.checked = false
    else if (input.tagName === 'SELECT') input.selectedIndex = 0
    else input.value = ''
  }
  // GOV.UK Frontend marks a started component; the copy must be started afresh.
  for (const element of [row, ...row.querySelectorAll('*')]) {
    for (const attribute of [...element.attributes]) {
      if (/^data-govuk-.*-init$/.test(attribute.name)) element.removeAttribute(attribute.name)
    }
  }
}

function setUpAddRow () {
  for (const button of form.querySelectorAll('[data-add-row]')) {
    const group = button.closest('fieldset')
    const table = group.querySelector('[data-incidents]')
    const questionId = table.getAttribute('data-incidents')
    const count = group.querySelector('[data-incident-count]')
    const max = Number(button.getAttribute('data-max-rows')) || 200
    button.addEventListener('click', (event) => {
      event.preventDefault()
      const rows = table.querySelectorAll('[data-incident-row]')
      const index = rows.length
      if (index >= max) return
      const row = rows[rows.length - 1].cloneNode(true)
      renumber(row, questionId, index)
      rows[rows.length - 1].after(row)
      count.value = String(index + 1)
      for (const checkboxes of row.querySelectorAll('[data-module="govuk-checkboxes"]')) {
        try { new Checkboxes(checkboxes) } catch (error) { /* exclusive "none" still posts; the server checks it */ }
      }
      if (index + 1 >= max) button.hidden = true
      const first = row.querySelector('input, textarea, select')
      if (first) first.focus()
      announce('Incident ' + (index + 1) + ' added')
    })
  }
}

/** The question ids the engine says are still worth asking, best first (from the panel). */
function worthAsking () {
  const holder = form.querySelector('[data-worth-asking]')
  const ids = holder ? holder.getAttribute('data-worth-asking') : ''
  return ids ? ids.split(' ').filter(Boolean) : []
}

/** Show "Worth asking" on exactly the questions the latest assessment names. */
function markWorthAsking () {
  const worth = new Set(worthAsking())
  for (const question of form.querySelectorAll('[data-question]')) {
    const tag = question.querySelector('[data-worth]')
    if (tag) tag.hidden = !worth.has(question.getAttribute('data-question'))
  }
}

/** The first control of a question (its checked radio, as Tab would land on it). */
function firstControl (container) {
  if (!container) return null
  const checked = container.querySelector('input[type=radio]:checked')
  if (checked) return checked
  return container.querySelector('input:not([type=hidden]), select, textarea')
}

function questionElement (id) {
  return form.querySelector(`[data-question="${id}"]`)
}

/** The first empty incident row's date (adding a row when every row is used). */
function nextIncidentDate () {
  const rows = [...form.querySelectorAll('[data-incident-row]')]
  const empty = rows.find((row) => [...row.querySelectorAll('input, select, textarea')].every((input) =>
    (input.type === 'checkbox' || input.type === 'radio') ? !input.checked : !input.value))
  if (empty) return firstControl(empty)
  const add = form.querySelector('[data-add-row]')
  if (add && !add.hidden) {
    add.click() // focuses the new row's first field
    return null
  }
  return firstControl(rows[rows.length - 1])
}

function setUpJumps () {
  form.addEventListener('click', (event) => {
    const link = event.target.closest('[data-jump], [data-ask]')
    if (!link) return
    let target = null
    const href = link.getAttribute('href') || ''
    if (link.hasAttribute('data-ask')) {
      target = firstControl(questionElement(link.getAttribute('data-ask')))
    } else if (link.hasAttribute('data-jump-incident')) {
      event.preventDefault()
      target = nextIncidentDate()
      if (!target) return
    } else if (link.hasAttribute('data-jump-next')) {
      const next = worthAsking().find((id) => questionElement(id))
      target = next ? firstControl(questionElement(next)) : null
    } else if (href.startsWith('#section-')) {
      const section = document.getElementById(href.slice(1))
      const worth = new Set(worthAsking())
      const first = section && [...section.querySelectorAll('[data-question]')]
        .find((q) => worth.has(q.getAttribute('data-question')))
      target = firstControl(first || section)
    } else if (href === '#call_notes') {
      target = document.getElementById('call_notes')
    }
    if (target) {
      event.preventDefault()
      target.focus()
      target.scrollIntoView({ block: 'center' })
    }
  })
}

/**
 * The access keys, from JavaScript too: a browser's own handling of accesskey differs
 * (Alt, Alt+Shift, Control+Option) and some browsers give no access key to a link that is
 * already in view. Alt (with or without Shift, or Control+Option on a Mac) and the letter
 * work everywhere here; without JavaScript the accesskey attributes still do.
 */
function setUpAccessKeys () {
  const links = new Map()
  for (const link of document.querySelectorAll('[accesskey]')) {
    links.set(link.getAttribute('accesskey').toLowerCase(), link)
  }
  document.addEventListener('keydown', (event) => {
    if (!event.altKey || event.metaKey || !/^Key[A-Z]$/.test(event.code)) return
    const link = links.get(event.code.slice(3).toLowerCase())
    if (!link || !document.contains(link)) {
      // The panel's links are drawn again with each update: look them up afresh.
      const fresh = document.querySelector(`[accesskey="${event.code.slice(3).toLowerCase()}"]`)
      if (!fresh) return
      event.preventDefault()
      fresh.click()
      return
    }
    event.preventDefault()
    link.click()
  })
}

/** Has anything been entered for this call? */
function callInProgress () {
  for (const input of form.querySelectorAll('input, select, textarea')) {
    if (input.type === 'hidden' || input.readOnly || input.closest('[data-assessment-panel]')) continue
    if (input.type === 'checkbox' || input.type === 'radio') {
      if (input.checked && input.value) return true
    } else if (input.value.trim()) {
      return true
    }
  }
  return false
}

/** Empty the form and the panel, so nothing of the call is left in the page. */
function forgetCall () {
  form.reset()
  for (const input of form.querySelectorAll('input:not([type=hidden]), textarea')) {
    if (input.type === 'checkbox' || input.type === 'radio') input.checked = input.value === ''
    else input.value = ''
  }
  for (const select of form.querySelectorAll('select')) select.selectedIndex = 0
  const panel = form.querySelector('[data-assessment-panel]')
  if (panel) panel.textContent = ''
}

const LEAVE_QUESTION = 'Leave this page? The call you are entering will be lost: nothing here is saved.'

function setUpExit () {
  const exitSelector = '.govuk-exit-this-page__button, .govuk-js-exit-this-page-skiplink'
  let confirmed = false
  // Capture on the document runs before the Exit this page component's own handler.
  document.addEventListener('click', (event) => {
    const button = event.target.closest(exitSelector)
    if (!button || confirmed) return
    if (callInProgress() && !window.confirm(LEAVE_QUESTION)) {
      event.preventDefault()
      event.stopImmediatePropagation()
      return
    }
    forgetCall()
  }, true)

  // Shift three times. The component listens on the document; the window hears a key first.
  const keysOn = form.getAttribute('data-quick-exit-keys') !== 'false'
  let presses = 0
  let timer = null
  let lastWasModified = false
  window.addEventListener('keyup', (event) => {
    // As the component counts: a Shift released straight after a shifted key (a capital
    // letter) is not a press, and any other key starts the count again.
    const modified = lastWasModified
    lastWasModified = event.shiftKey
    if (event.key !== 'Shift') {
      presses = 0
      return
    }
    if (keysOn && !callInProgress()) return // the component does its usual job
    event.stopImmediatePropagation()
    if (!keysOn || modified) return
    presses += 1
    window.clearTimeout(timer)
    timer = window.setTimeout(() => { presses = 0 }, 5000)
    if (presses < 3) {
      announce(presses === 1 ? 'Shift, press 2 more times to exit.' : 'Shift, press 1 more time to exit.')
      return
    }
    presses = 0
    if (!window.confirm(LEAVE_QUESTION)) return
    const button = document.querySelector('.govuk-exit-this-page__button')
    if (button) {
      forgetCall()
      confirmed = true
      button.click()
    }
  }, true)

  // Back (or Forward) to a page the browser kept: it must not show a caller's answers.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      forgetCall()
      window.location.reload()
    }
  })
}

function setUpPrintPage () {
  const button = document.querySelector('[data-print-page]')
  if (!button) return
  button.hidden = false
  button.addEventListener('click', () => window.print())
}

if (form) {
  setUpLiveUpdate()
  setUpCopy()
  setUpAddRow()
  setUpJumps()
  setUpAccessKeys()
  setUpExit()
  markWorthAsking()
  for (const element of form.querySelectorAll('[data-no-js-note]')) element.hidden = true
}
setUpPrintPage()
