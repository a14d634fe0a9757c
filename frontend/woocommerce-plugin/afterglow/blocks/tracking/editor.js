// The block in the editor: a placeholder (the tracking form needs the live storefront API, so it shows on the page).
( function ( blocks, element, blockEditor ) {
	var el = element.createElement;
	blocks.registerBlockType( 'afterglow/tracking', {
		edit: function () {
			return el(
				'div',
				blockEditor.useBlockProps( { style: { padding: '1.5rem', border: '1px dashed #8c8f94', borderRadius: '8px' } } ),
				el( 'strong', null, 'Order tracking' ),
				el( 'p', null, 'Shoppers enter their order number and email address here to follow their parcels.' )
			);
		},
		save: function () {
			return null; // rendered on the server (render.php)
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor );
