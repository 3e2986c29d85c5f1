// Handwritten companion of the generated poolbook.kt (compile them
// together): the Kotlin side of core's `Secret` custom type.
package poolbook

/**
 * A value that must not be shown by accident: a gate code, lock combination
 * or alarm code. `toString()` is masked (so logs and printed records never
 * carry it); `reveal()` gives the value, for the moment it is needed.
 */
class MaskedSecret(private val value: String) {
    /** The secret value itself. */
    fun reveal(): String = value

    /** Always the mask, never the value. */
    override fun toString(): String = "[redacted]"

    override fun equals(other: Any?): Boolean = other is MaskedSecret && other.value == value

    override fun hashCode(): Int = value.hashCode()
}
