"""Text that ends up in an SRI document (or beside it): one rule for every such field.

The XSDs bound each text field's length (maxLength counts characters) and most of them
forbid line breaks (pattern [^\\n]*). Beyond the schema, some characters make a document
unreadable or misleading once printed or signed: control characters (XML 1.0 does not
even allow most of them), the noncharacters U+FFFE and U+FFFF, bidirectional overrides
(they reorder what a reader sees: "Trojan Source") and zero-width characters (they make
two different texts look alike). Every field is checked by `CampoSri.validar`, which
names the field's rule and the field itself in its rejection.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from prometeo.domain.errores import ValorInvalido

# Reorder what is shown: LRE, RLE, PDF, LRO, RLO and the isolates LRI, RLI, FSI, PDI.
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Invisible: zero-width space, non-joiner, joiner, word joiner, byte-order mark.
_ANCHO_CERO = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_NO_CARACTERES = frozenset("\ufffe\uffff")
# Line and paragraph separators: line breaks by another name.
_SALTOS = frozenset("\u2028\u2029")


def caracter_prohibido(texto: str) -> str | None:
    """A description of the first character no SRI text may hold, or None."""
    for caracter in texto:
        codigo = f"U+{ord(caracter):04X}"
        if caracter in "\n\r" or caracter in _SALTOS:
            return f"un salto de línea ({codigo})"
        categoria = unicodedata.category(caracter)
        if categoria == "Cc":
            return f"un carácter de control ({codigo})"
        if categoria == "Cs":
            return f"un carácter sustituto suelto ({codigo})"
        if caracter in _NO_CARACTERES:
            return f"un no-carácter ({codigo})"
        if caracter in _BIDI:
            return f"un control de dirección del texto ({codigo})"
        if caracter in _ANCHO_CERO:
            return f"un carácter invisible de ancho cero ({codigo})"
        if categoria == "Cf":  # every other format character: LRM/RLM, soft hyphen...
            return f"un carácter invisible de formato ({codigo})"
    return None


@dataclass(frozen=True, slots=True)
class CampoSri:
    """A text field of an SRI document: its name as a user reads it ("La razón social"),
    the rule its rejection names, and its maximum length in the XSD."""

    nombre: str
    regla: str
    maximo: int

    def validar(self, valor: object) -> str:
        """The text without surrounding spaces: not blank, at most `maximo` characters,
        one line, none of the characters `caracter_prohibido` refuses."""
        if not isinstance(valor, str):
            raise ValorInvalido(self.regla, f"{self.nombre} debe ser un texto, no {valor!r}")
        texto = valor.strip()
        if not texto:
            raise ValorInvalido(self.regla, f"{self.nombre} no puede quedar en blanco")
        if len(texto) > self.maximo:
            raise ValorInvalido(
                self.regla,
                f"{self.nombre} tiene {len(texto)} caracteres; el máximo es {self.maximo}",
            )
        prohibido = caracter_prohibido(texto)
        if prohibido is not None:
            raise ValorInvalido(
                self.regla,
                f"{self.nombre} debe ser una sola línea de texto visible; contiene {prohibido}",
            )
        return texto

    def validar_opcional(self, valor: object) -> str | None:
        """None, or a blank text, is no value; anything else is validated."""
        if valor is None or (isinstance(valor, str) and not valor.strip()):
            return None
        return self.validar(valor)


# The fields, with their XSD limits (factura 1.1.0, notaCredito 1.1.0): ../shared/sri/xsd.
RAZON_SOCIAL = CampoSri("La razón social", "NombreValido", 300)  # razonSocial(Comprador)
NOMBRE_COMERCIAL = CampoSri("El nombre comercial", "NombreValido", 300)
DIRECCION = CampoSri("La dirección", "DireccionValida", 300)  # dirMatriz, direccionComprador
MOTIVO = CampoSri("El motivo", "MotivoModificacionValido", 300)  # motivo
CODIGO_PRODUCTO = CampoSri("El código del producto", "CodigoValido", 25)  # codigoPrincipal
# A product's barcodes (EAN/UPC usually); the first one is the line's codigoAuxiliar.
CODIGO_BARRA = CampoSri("El código de barras", "CodigoBarraValido", 25)  # codigoAuxiliar
UNIDAD_MEDIDA = CampoSri("La unidad de medida", "UnidadMedidaValida", 50)  # unidadMedida
NOMBRE_PRODUCTO = CampoSri("El nombre del producto", "NombreValido", 300)  # descripcion
UNIDAD_TIEMPO = CampoSri("La unidad de tiempo del pago", "PagoValido", 10)  # unidadTiempo
# The email travels as a campoAdicional (1–300); an address is at most 254 (RFC 5321).
EMAIL = CampoSri("El correo electrónico", "EmailValido", 254)
# The buyer's phone, a campoAdicional too; the catalog also bounds its characters.
TELEFONO = CampoSri("El teléfono", "TelefonoValido", 20)
# The supporting document of an ingreso: printed in the kardex beside the SRI documents.
REFERENCIA = CampoSri("La referencia del ingreso", "ReferenciaValida", 300)
# Not part of an SRI document, but printed on the kardex beside those that are.
REFERENCIA_CONTEO = CampoSri("La referencia del conteo", "ReferenciaConteoValida", 300)
MOTIVO_BAJA = CampoSri("El motivo de la baja", "MotivoBajaValido", 300)
NOMBRE_SUCURSAL = CampoSri("El nombre de la sucursal", "NombreValido", 300)
NOMBRE_BODEGA = CampoSri("El nombre de la bodega", "NombreValido", 300)
CODIGO_BODEGA = CampoSri("El código de la bodega", "CodigoValido", 20)
