/// An error the user can act on: printed as one line that says what to do next, exit status 1, never
/// a stack trace, never a secret.
package struct UserError: Error, CustomStringConvertible {
  package var description: String
  package init(_ description: String) { self.description = description }
}
