/* The sale screen's keyboard: scans submitted on Enter without ever losing one, the
   F-keys, Ctrl+Enter to emit (Enter alone never emits), Esc back to "Producto".

   Invariants this script keeps:
   - One request at a time, in order: every change carries the draft's version as the
     last answer showed it, so two changes of this tab never race each other (another
     tab's change is refused by the server, never overwritten).
   - Scans typed while a request is in flight are queued, not dropped: the field is
     cleared at once and the queue is sent together as soon as the answer arrives.
   - Each change carries its own idempotency key; the emission carries the key the sale
     was rendered with, so a double Ctrl+Enter or a retry makes one factura.
   - The focus goes back to "Producto" after every answer unless a dialog is open. */
(function () {
  "use strict";

  var cola = [];
  var enCurso = false;
  var cadena = Promise.resolve();
  var seleccion = null; // the line number F4/F6 act on; null = the last line

  function $(id) { return document.getElementById(id); }
  function producto() { return $("producto"); }
  function venta() { return $("venta"); }
  function csrf() {
    var campo = document.querySelector('#form-escaneo input[name="csrf"]');
    return campo ? campo.value : "";
  }

  // A key for one change: 128 random bits (crypto.getRandomValues works on plain http,
  // unlike crypto.randomUUID, and a shop's LAN is often plain http).
  function nuevaClave() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function dialogoAbierto() { return document.querySelector("dialog[open]"); }

  function enfocarProducto() {
    if (!dialogoAbierto()) { producto().focus(); }
  }

  function filas() {
    return Array.prototype.slice.call(document.querySelectorAll("#venta tr[data-linea]"));
  }

  function marcarSeleccion() {
    var todas = filas();
    if (!todas.length) { seleccion = null; return; }
    var elegida = todas.filter(function (f) { return f.dataset.linea === String(seleccion); })[0];
    if (!elegida) { elegida = todas[todas.length - 1]; seleccion = null; }
    todas.forEach(function (f) {
      var es = f === elegida;
      f.classList.toggle("seleccionada", es);
      if (es) { f.setAttribute("aria-current", "true"); } else { f.removeAttribute("aria-current"); }
    });
  }

  function filaElegida() {
    return document.querySelector("#venta tr.seleccionada") || filas().slice(-1)[0] || null;
  }

  function moverSeleccion(paso) {
    var todas = filas();
    if (!todas.length) { return; }
    var actual = todas.indexOf(filaElegida());
    var nueva = Math.min(Math.max(actual + paso, 0), todas.length - 1);
    seleccion = todas[nueva].dataset.linea;
    marcarSeleccion();
  }

  function reemplazarVenta(html) {
    var plantilla = document.createElement("template");
    plantilla.innerHTML = html;
    var nueva = plantilla.content.getElementById("venta");
    if (!nueva) { return false; }
    venta().replaceWith(nueva);
    if (window.htmx) { window.htmx.process(nueva); }
    var id = nueva.dataset.venta;
    var ruta = id ? "/caja/venta/" + id : "/caja";
    if (window.location.pathname !== ruta) { window.history.replaceState(null, "", ruta); }
    marcarSeleccion();
    if (nueva.querySelector("#resultado")) {
      // Emitted: the next sale starts with no buyer and no payment typed.
      $("form-cliente").reset();
      $("identificacion-estado").innerHTML = "";
      $("pago-recibido").value = "";
    }
    return true;
  }

  function mostrarFallo(mensaje) {
    var aviso = document.createElement("div");
    aviso.className = "error";
    aviso.setAttribute("role", "alert");
    aviso.id = "avisos-venta";
    aviso.textContent = mensaje;
    var previo = $("avisos-venta");
    if (previo) { previo.replaceWith(aviso); } else { venta().prepend(aviso); }
  }

  // One change sent with the sale's id and version; the answer replaces the sale.
  function enviar(ruta, datos) {
    cadena = cadena.then(function () {
      var actual = venta();
      var cuerpo = new URLSearchParams(datos);
      cuerpo.set("csrf", csrf());
      // The sale as the last answer left it, unless the change was bound to the sale it
      // was asked on (the emission: a repeat must be the same request, to be a replay).
      if (!cuerpo.has("factura_id")) { cuerpo.set("factura_id", actual.dataset.venta || ""); }
      if (!cuerpo.has("version")) { cuerpo.set("version", actual.dataset.version || ""); }
      if (!cuerpo.get("idempotencia")) { cuerpo.set("idempotencia", nuevaClave()); }
      return window.fetch(ruta, {
        method: "POST",
        credentials: "same-origin",
        headers: { "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
        body: cuerpo.toString()
      }).then(function (respuesta) {
        var redirigir = respuesta.headers.get("HX-Redirect");
        if (redirigir) { window.location.assign(redirigir); return; }
        return respuesta.text().then(function (html) {
          if (!reemplazarVenta(html)) {
            mostrarFallo(respuesta.status === 409
              ? "Esta operación ya se está procesando; espere un momento."
              : "No se pudo completar (" + respuesta.status + "). Revise la venta y repita.");
          }
        });
      }, function () {
        mostrarFallo("Sin conexión con el servidor: nada se perdió de lo ya mostrado. " +
          "Revise la red y repita lo último.");
      }).then(enfocarProducto);
    });
    return cadena;
  }

  // Scans: queued, the field cleared at once, the queue sent as one request.
  function vaciarCola() {
    if (enCurso || !cola.length) { return; }
    var lote;
    // "*5" changes the last line: it goes alone, after the scans before it.
    if (cola[0].trim().charAt(0) === "*") {
      lote = cola.splice(0, 1);
    } else {
      var hasta = cola.findIndex(function (t) { return t.trim().charAt(0) === "*"; });
      lote = cola.splice(0, hasta < 0 ? cola.length : hasta);
    }
    enCurso = true;
    enviar("/caja/escanear", { escaneos: lote.join("\n") }).then(function () {
      enCurso = false;
      vaciarCola();
    });
  }

  function escanear(texto) {
    if (!texto.trim()) { return; }
    cola.push(texto);
    vaciarCola();
  }

  function abrir(id, campo) {
    var dialogo = $(id);
    if (!dialogo.open) { dialogo.showModal(); }
    if (campo) { $(campo).focus(); $(campo).select(); }
  }

  function abrirLinea(campo) {
    var fila = filaElegida();
    if (!fila) { return; }
    $("linea-numero").value = fila.dataset.linea;
    $("linea-cantidad").value = fila.dataset.cantidad;
    $("linea-descuento").value = fila.dataset.descuento === "0,00" ? "" : fila.dataset.descuento;
    $("titulo-linea").textContent = "Cambiar la línea " + fila.dataset.linea;
    abrir("dialogo-linea", campo);
  }

  function abrirEspera() {
    var lista = $("lista-espera");
    abrir("dialogo-espera");
    window.fetch("/caja/en-espera?actual=" + encodeURIComponent(venta().dataset.venta || ""), {
      credentials: "same-origin", headers: { "HX-Request": "true" }
    }).then(function (r) { return r.text(); }).then(function (html) {
      lista.innerHTML = html;
      var primero = lista.querySelector("a");
      if (primero) { primero.focus(); }
    });
  }

  function abrirPago() {
    $("pago-total").textContent = document.getElementById("total").textContent;
    abrir("dialogo-pago", "pago-recibido");
  }

  function emitir() {
    var actual = venta();
    // No sale in progress (nothing scanned, or just emitted): nothing to emit.
    if (!actual.dataset.venta) { enfocarProducto(); return; }
    // Bound now to the sale as shown: a second Ctrl+Enter or a click before the answer
    // sends the very same request (same key, same sale, same version) and is replayed.
    enviar("/caja/emitir", {
      factura_id: actual.dataset.venta,
      version: actual.dataset.version || "",
      idempotencia: actual.dataset.claveEmision || nuevaClave(),
      recibido: $("pago-recibido").value
    });
  }

  var TECLAS = {
    F1: function () { abrir("dialogo-ayuda"); },
    F2: function () { window.location.assign("/caja"); },
    F3: function () { $("identificacion").focus(); $("identificacion").select(); },
    F4: function () { abrirLinea("linea-cantidad"); },
    F6: function () { abrirLinea("linea-descuento"); },
    F7: function () { abrir("dialogo-descuento", "descuento-valor"); },
    F8: abrirEspera,
    F9: abrirPago
  };

  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      var dialogo = dialogoAbierto();
      if (dialogo) { dialogo.close(); }
      emitir();
      return;
    }
    if (TECLAS[e.key] && !e.altKey && !e.ctrlKey) {
      e.preventDefault();
      TECLAS[e.key]();
      return;
    }
    if (e.key === "Escape" && !dialogoAbierto()) {
      producto().value = "";
      producto().focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var campo = producto();
    if (!campo) { return; }
    campo.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        var texto = campo.value;
        campo.value = "";
        escanear(texto);
      } else if (e.key === "ArrowUp") {
        e.preventDefault(); moverSeleccion(-1);
      } else if (e.key === "ArrowDown") {
        e.preventDefault(); moverSeleccion(1);
      }
    });
    // Enter on the emit button is not an emission (only Ctrl+Enter, a click or Space).
    $("emitir").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) { e.preventDefault(); }
    });
    document.addEventListener("submit", function (e) {
      var formulario = e.target;
      var accion = formulario.dataset && formulario.dataset.caja;
      if (!accion) { return; }
      e.preventDefault();
      if (accion === "escanear") { escanear(campo.value); campo.value = ""; return; }
      if (accion === "emitir") { emitir(); return; }
      if (accion === "descartar" && !window.confirm("¿Descartar esta venta? No se podrá recuperar.")) {
        return;
      }
      var datos = new URLSearchParams(new FormData(formulario));
      var dialogo = formulario.closest("dialog");
      if (dialogo) { dialogo.close(); }
      enviar("/caja/" + accion, datos);
    });
    document.addEventListener("click", function (e) {
      var boton = e.target.closest("button[data-escanear], button[data-tecla]");
      if (!boton) { return; }
      if (boton.dataset.escanear) { escanear(boton.dataset.escanear); return; }
      TECLAS[boton.dataset.tecla]();
    });
    document.querySelectorAll("dialog").forEach(function (d) {
      d.addEventListener("close", function () { window.setTimeout(enfocarProducto, 0); });
    });
    // The buyer's identification, checked as typed (the server has the rules).
    var identificacion = $("identificacion");
    var espera = null;
    identificacion.addEventListener("input", function () {
      window.clearTimeout(espera);
      espera = window.setTimeout(function () {
        window.fetch("/caja/identificacion?identificacion=" +
          encodeURIComponent(identificacion.value), {
          credentials: "same-origin", headers: { "HX-Request": "true" }
        }).then(function (r) { return r.text(); }).then(function (html) {
          $("identificacion-estado").innerHTML = html;
        });
      }, 200);
    });
    marcarSeleccion();
    campo.focus();
  });
}());
