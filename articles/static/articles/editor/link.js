// Links in the story body: the dialog says "Insert link"/"Insert" for a new
// link and "Edit link"/"Update" for one the cursor is in, and typing after a
// link does not extend it (the mark is not inclusive).
import { Link as BaseLink, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const fields = () => ({
  href: { type: "string", title: gettext("URL"), required: true },
  title: { type: "string", title: gettext("Title") },
})

export const Link = BaseLink.extend({
  inclusive() {
    return false
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "link",
      groups: "link",
      command: (editor) => editor.chain().addLink().focus().run(),
      enabled: (editor) => !editor.state.selection.empty || editor.isActive("link"),
      button: buttons.text(gettext("Link"), gettext("Insert or edit a link")),
      active: (editor) => editor.isActive("link"),
    })
    menu.defineItem({
      name: "unlink",
      groups: "link",
      command: (editor) => editor.chain().focus().unsetLink().run(),
      button: buttons.text(gettext("Unlink"), gettext("Remove the link")),
      hidden: (editor) => !editor.isActive("link"),
    })
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          const existing = editor.isActive(this.name)
          if (editor.state.selection.empty && !existing) return false
          const dialog = updateAttrsDialog(fields(), {
            title: existing ? gettext("Edit link") : gettext("Insert link"),
            submitText: existing ? gettext("Update") : gettext("Insert"),
          })
          dialog(editor, existing ? editor.getAttributes(this.name) : {}).then((attrs) => {
            if (!attrs || !attrs.href.trim()) return
            const values = { href: attrs.href.trim(), title: attrs.title || null }
            if (existing) {
              editor.chain().focus().extendMarkRange(this.name).updateAttributes(this.name, values).run()
            } else {
              editor.chain().focus().setMark(this.name, values).run()
            }
          })
          return true
        },
    }
  },
})
