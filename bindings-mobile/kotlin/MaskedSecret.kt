// Handwritten companion of the generated poolbook.kt (compile them
// together): the Kotlin side of core's `Secret` custom type.
package poolbook

/**
 * A value that must not be shown by accident: a gate code, lock combination
 * or alarm code. `toString()` is masked (so logs and printed records never
 * carry it). One you make holds the value you give; one read from a book is
 * sealed (`isSealed`): reveal it with `Book.revealSecret`, which records who
 * looked. `reveal()` gives the value of one that is not sealed.
 */
class MaskedSecret(private val value: String) {
    /** Whether this is a sealed secret read from a book. */
    val isSealed: Boolean get() = value.startsWith(SEALED_PREFIX)

    /**
     * The secret value itself.
     *
     * @throws IllegalStateException for a sealed secret read from a book.
     */
    fun reveal(): String {
        check(!isSealed) {
            "this secret is sealed; reveal it with book.revealSecret(locationId, field, author, reason), which records who looked"
        }
        return value
    }

    /** The mask, never the value. */
    override fun toString(): String = if (isSealed) "[sealed]" else "[redacted]"

    override fun equals(other: Any?): Boolean = other is MaskedSecret && other.value == value

    override fun hashCode(): Int = value.hashCode() xor 0x5ec7e7

    /** The form core reads: the value, or a sealed secret's blob. */
    internal fun wire(): String = value

    private companion object {
        /** How core writes a sealed secret (core's `SEALED_PREFIX`). */
        const val SEALED_PREFIX = "pbsealed1:"
    }
}
