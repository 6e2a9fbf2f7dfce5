// Lead-ins: the bold label that opens a paragraph ("The big picture:").
// Stored as <strong class="lead-in">; the menu offers the house labels.
import { Mark, mergeAttributes } from "django-prose-editor/editor"

const option = (text) => {
  const element = document.createElement("p")
  element.textContent = text
  return element
}

export const LeadIn = Mark.create({
  name: "leadIn",
  inclusive: false,

  addOptions() {
    return { labels: [] }
  },

  parseHTML() {
    return [{ tag: "strong.lead-in", priority: 60 }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["strong", mergeAttributes(HTMLAttributes, { class: "lead-in" }), 0]
  },

  addCommands() {
    return {
      toggleLeadIn:
        () =>
        ({ commands }) =>
          commands.toggleMark(this.name),
      insertLeadIn:
        (label) =>
        ({ state, chain }) => {
          const start = state.selection.$from.start()
          return chain()
            .insertContentAt(start, [
              { type: "text", text: label, marks: [{ type: this.name }] },
              { type: "text", text: " " },
            ])
            .run()
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "leadIn",
      groups: "leadIns",
      button: buttons.text("Lead-in", "Lead-ins: mark the selected words, or start the paragraph with a house label"),
      option: option("Mark selection as lead-in"),
      command: (editor) => editor.chain().focus().toggleLeadIn().run(),
      // Always "active", so the dropdown is labelled "Lead-in" rather than "?".
      active: () => true,
    })
    this.options.labels.forEach((label, index) => {
      menu.defineItem({
        name: `leadIn:${index}`,
        groups: "leadIns",
        button: buttons.text(label, `Start the paragraph with “${label}”`),
        option: option(label),
        command: (editor) => editor.chain().focus().insertLeadIn(label).run(),
      })
    })
  },
})
