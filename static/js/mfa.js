// Starts allauth's WebAuthn sign-in on the second-step page (allauth's own template does it from an
// inline script block, which our Content-Security-Policy and template rules leave out).
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-webauthn]').forEach((element) => {
    const start = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms[element.dataset.webauthn]
    if (start) {
      start({ ids: { authenticate: element.dataset.authenticate, credential: element.dataset.credential, data: element.dataset.data } })
    }
  })
})
