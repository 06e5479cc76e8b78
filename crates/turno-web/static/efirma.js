// e.firma in the browser (docs/efirma.md): signs, in the page, the exact bytes a form's
// `data-efirma` address answers, with the person's certificate (.cer) and encrypted private
// key (.key) and its password. The key and the password never leave the page; what is sent is
// the detached CMS signature and the certificate, in base64.
//
// The contract (forms of any page use it):
//   <form data-efirma="URL"> holds a <fieldset class="efirma">. The script finds there (or puts)
//   a .cer file input (class efirma-cer), a .key file input (class efirma-key) and a password
//   input (class efirma-password), none with a name, so that they are never sent, and the
//   hidden inputs name="firma" and name="certificado". On submit it fetches
//   URL + "?" + the form's other fields urlencoded (GET: the answer's bytes are what is
//   signed), decrypts the key with the password, signs those bytes (detached CMS SignedData,
//   SHA-256, with the signing time), puts the signature's DER in base64 in «firma» and the
//   certificate's DER in base64 in «certificado», clears the password, and submits. Any
//   problem is shown in Spanish next to the fieldset, and nothing is sent; but when the address
//   refuses the other fields (400 or 422: data that would be refused), the form is sent
//   unsigned, so that the server shows it again with every problem by its field.
//
// Needs node-forge (static/forge.min.js) loaded before it.
(function (root) {
  'use strict';

  function problem(message) {
    var error = new Error(message);
    error.efirma = true;
    return error;
  }

  // A file's bytes as forge reads them (a binary string), DER whether it came in DER or PEM.
  function der(forge, binary, what) {
    if (binary.indexOf('-----BEGIN') !== -1) {
      try {
        return forge.pem.decode(binary)[0].body;
      } catch (e) {
        throw problem(what);
      }
    }
    return binary;
  }

  // Signs `content` (a binary string) with the certificate and the encrypted key (binary
  // strings, DER or PEM) and the password: the signature and the certificate, DER in base64.
  function sign(forge, content, cer, key, password, now) {
    var certificate;
    try {
      certificate = forge.pki.certificateFromAsn1(
        forge.asn1.fromDer(der(forge, cer, 'El archivo .cer no es un certificado legible.'))
      );
    } catch (e) {
      if (e.efirma) { throw e; }
      throw problem('El archivo .cer no es un certificado legible (X.509 en DER o PEM).');
    }
    var encrypted;
    try {
      encrypted = forge.asn1.fromDer(
        der(forge, key, 'El archivo .key no es una llave privada cifrada (PKCS#8).')
      );
    } catch (e) {
      if (e.efirma) { throw e; }
      throw problem('El archivo .key no es una llave privada cifrada (PKCS#8).');
    }
    var info = null;
    try {
      info = forge.pki.decryptPrivateKeyInfo(encrypted, password);
    } catch (e) {
      info = null;
    }
    if (!info) {
      throw problem('La contraseña de la llave privada no es correcta.');
    }
    var privateKey;
    try {
      privateKey = forge.pki.privateKeyFromAsn1(info);
    } catch (e) {
      throw problem('La llave privada no es RSA, como las de la e.firma.');
    }
    var publicKey = certificate.publicKey;
    if (!publicKey || !publicKey.n || publicKey.n.compareTo(privateKey.n) !== 0 ||
        publicKey.e.compareTo(privateKey.e) !== 0) {
      throw problem('La llave privada no corresponde al certificado elegido: elija el .key de ese .cer.');
    }
    var signed = forge.pkcs7.createSignedData();
    signed.content = forge.util.createBuffer(content);
    signed.addCertificate(certificate);
    // In the order of their DER encodings (a SET OF in DER is sorted): content type, signing
    // time, then the message digest, whose encoding is the longest.
    signed.addSigner({
      key: privateKey,
      certificate: certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: now || new Date() },
        { type: forge.pki.oids.messageDigest }
      ]
    });
    signed.sign({ detached: true });
    var signature = forge.asn1.toDer(signed.toAsn1()).getBytes();
    var certificateDer = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
    return {
      firma: forge.util.encode64(signature),
      certificado: forge.util.encode64(certificateDer)
    };
  }

  // For other scripts, and for the test that checks the signature with the server's
  // verification (tests/integration/efirma_browser.rs, in Node without a page).
  root.efirma = { sign: sign };
  if (typeof document === 'undefined') {
    return;
  }

  function binary(bytes) {
    var chunks = [];
    var view = new Uint8Array(bytes);
    for (var i = 0; i < view.length; i += 0x8000) {
      chunks.push(String.fromCharCode.apply(null, view.subarray(i, i + 0x8000)));
    }
    return chunks.join('');
  }

  function read(input) {
    var file = input.files && input.files[0];
    if (!file) { return Promise.resolve(null); }
    return file.arrayBuffer().then(binary);
  }

  // The input of `kind` in the fieldset, found or put there with its label.
  function field(fieldset, kind, label, type, accept) {
    var input = fieldset.querySelector('input.efirma-' + kind);
    if (input) { return input; }
    var id = 'efirma-' + kind + '-' + Math.random().toString(36).slice(2);
    var wrapper = document.createElement('div');
    wrapper.className = 'field';
    var text = document.createElement('label');
    text.htmlFor = id;
    text.textContent = label;
    input = document.createElement('input');
    input.id = id;
    input.type = type;
    input.className = 'efirma-' + kind;
    if (accept) { input.accept = accept; }
    if (type === 'password') { input.autocomplete = 'off'; }
    wrapper.appendChild(text);
    wrapper.appendChild(input);
    fieldset.appendChild(wrapper);
    return input;
  }

  function hidden(form, fieldset, name) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      fieldset.appendChild(input);
    }
    return input;
  }

  function setUp(form) {
    var fieldset = form.querySelector('fieldset.efirma');
    if (!fieldset) { return; }
    var cer = field(fieldset, 'cer', 'Certificado (.cer)', 'file', '.cer,.crt,.pem');
    var key = field(fieldset, 'key', 'Llave privada (.key)', 'file', '.key,.pem');
    var password = field(fieldset, 'password', 'Contraseña de la llave privada', 'password');
    [cer, key, password].forEach(function (input) { input.removeAttribute('name'); });
    var firma = hidden(form, fieldset, 'firma');
    var certificado = hidden(form, fieldset, 'certificado');
    var shown = null;

    function show(message) {
      if (!shown) {
        shown = document.createElement('p');
        shown.className = 'field-error efirma-error';
        shown.setAttribute('role', 'alert');
        shown.id = 'efirma-error-' + Math.random().toString(36).slice(2);
        fieldset.parentNode.insertBefore(shown, fieldset.nextSibling);
        fieldset.setAttribute('aria-describedby', shown.id);
      }
      shown.textContent = message;
    }

    var busy = false;
    var unsigned = {};
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) { return; }
      firma.value = '';
      certificado.value = '';
      if (!cer.files || !cer.files.length) { show('Elija su certificado (.cer).'); return; }
      if (!key.files || !key.files.length) { show('Elija su llave privada (.key).'); return; }
      if (!password.value) { show('Escriba la contraseña de su llave privada.'); return; }
      if (typeof root.forge === 'undefined') {
        show('No se cargó la biblioteca de firma: recargue la página.');
        return;
      }
      var others = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (name !== 'firma' && name !== 'certificado' && typeof value === 'string') {
          others.append(name, value);
        }
      });
      var address = form.getAttribute('data-efirma') + '?' + others.toString();
      busy = true;
      show('Firmando…');
      Promise.all([
        fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/octet-stream' } })
          .then(function (answer) {
            if (answer.status === 400 || answer.status === 422) {
              // What was typed would be refused: sent unsigned, the server shows the form
              // again with every problem next to its field.
              throw unsigned;
            }
            if (!answer.ok) {
              throw problem('No se pudo obtener el documento a firmar (respuesta ' + answer.status +
                '): recargue la página.');
            }
            return answer.arrayBuffer();
          }, function () {
            throw problem('No se pudo obtener el documento a firmar: revise su conexión.');
          }),
        read(cer),
        read(key)
      ]).then(function (parts) {
        var signed = sign(root.forge, binary(parts[0]), parts[1], parts[2], password.value);
        firma.value = signed.firma;
        certificado.value = signed.certificado;
        password.value = '';
        shown.textContent = '';
        form.submit();
      }).catch(function (error) {
        password.value = '';
        if (error === unsigned) {
          form.submit();
          return;
        }
        busy = false;
        show(error && error.efirma ? error.message
          : 'No se pudo firmar: ' + (error && error.message ? error.message : 'error desconocido') + '.');
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-efirma]'), setUp);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})(typeof window !== 'undefined' ? window : globalThis);
