;; Imports keyvalue:store@0.1.0 as an older draft declared it: `get` returns option<string>
;; rather than result<option<string>, string>. Linking it against the keyvalue bundle must fail
;; and show both signatures.
(component
  (import "keyvalue:store/store@0.1.0" (instance
    (export "get" (func (param "key" string) (result (option string))))
  ))
)
