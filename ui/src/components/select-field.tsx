import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

/**
 * A labelled dropdown that submits with its form under `name`. Keyed by the selected value, so a
 * navigation that changes it (back, a shared link) shows the URL's choice, not the last one made.
 */
export function SelectField({ name, label, selected, options }: { name: string; label: string; selected: string; options: readonly { id: string; label: string }[] }) {
  return (
    <Select name={name} defaultSelectedKey={selected} key={`${name}-${selected}`}>
      <Label>{label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox">
          {options.map((option) => (
            <ListBoxItem key={option.id} id={option.id}>
              {option.label}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
